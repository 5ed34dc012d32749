import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDealTables1764180000000 implements MigrationInterface {
  name = 'CreateDealTables1764180000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE opportunity_snapshot (
        id uuid PRIMARY KEY,
        version integer NOT NULL,
        name text NOT NULL,
        account_name text NOT NULL,
        status text NOT NULL,
        stage text NOT NULL,
        stage_category text NOT NULL,
        owner_id uuid,
        lead_id uuid,
        amount numeric(19, 4),
        currency char(3),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE TABLE rep_snapshot (id uuid PRIMARY KEY, team_id text, active boolean NOT NULL, version integer NOT NULL)`);
    await queryRunner.query(`CREATE TABLE lead_snapshot (id uuid PRIMARY KEY, version integer NOT NULL, name text NOT NULL, company text NOT NULL, need text)`);
    await queryRunner.query(`
      CREATE TABLE deal (
        id uuid PRIMARY KEY,
        opportunity_id uuid NOT NULL UNIQUE,
        discount_percent numeric(7, 4),
        payment_terms_days integer,
        contract_length_months integer,
        outcome text CHECK (outcome IN ('WON', 'LOST', 'DEFERRED')),
        lost_reason text,
        close_note text,
        closed_at timestamptz,
        closed_by text,
        deferred_until date,
        competitor text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE proposal (
        id uuid PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES deal (id),
        opportunity_id uuid NOT NULL,
        version integer NOT NULL,
        status text NOT NULL CHECK (status IN ('DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', 'SUPERSEDED')),
        currency char(3) NOT NULL,
        line_items jsonb NOT NULL,
        subtotal numeric(38, 4) NOT NULL,
        total numeric(38, 4) NOT NULL,
        valid_until date,
        sent_at timestamptz,
        decided_at timestamptz,
        decision_reason text,
        created_by text,
        created_at timestamptz NOT NULL,
        UNIQUE (deal_id, version)
      )`);
    await queryRunner.query(`
      CREATE TABLE discount_approval (
        id uuid PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES deal (id),
        requested_percent numeric(7, 4) NOT NULL,
        payment_terms_days integer NOT NULL,
        contract_length_months integer NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL,
        decided_by text,
        decided_at timestamptz,
        note text
      )`);
    await queryRunner.query(`CREATE INDEX discount_approval_deal_idx ON discount_approval (deal_id, requested_at)`);
    await queryRunner.query(`
      CREATE TABLE commitment (
        id uuid PRIMARY KEY,
        deal_id uuid NOT NULL REFERENCES deal (id),
        type text NOT NULL CHECK (type IN ('VERBAL', 'WRITTEN')),
        committed_at timestamptz NOT NULL,
        contact_name text NOT NULL,
        notes text,
        recorded_by text
      )`);
    await queryRunner.query(`CREATE INDEX commitment_deal_idx ON commitment (deal_id, committed_at)`);
    await queryRunner.query(
      `CREATE TABLE deal_setting (key text PRIMARY KEY, value jsonb NOT NULL, updated_by text, updated_at timestamptz NOT NULL DEFAULT now())`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['deal_setting', 'commitment', 'discount_approval', 'proposal', 'deal', 'lead_snapshot', 'rep_snapshot', 'opportunity_snapshot']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
