import type { MigrationInterface, QueryRunner } from 'typeorm';

// Accounts (companies) and contacts (people at them) as records of their own: an opportunity has an optional account
// and contacts with roles. Existing opportunities get the account their account name names (one per name, case and
// spacing aside); those with a blank name (imported without one) get none.
export class AddAccountsAndContacts1764170000003 implements MigrationInterface {
  name = 'AddAccountsAndContacts1764170000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE account (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        normalized_name text NOT NULL,
        industry text,
        region text,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX account_normalized_name_uq ON account (normalized_name)`);
    await queryRunner.query(`
      CREATE TABLE contact (
        id uuid PRIMARY KEY,
        account_id uuid REFERENCES account (id),
        lead_id uuid,
        name text NOT NULL,
        email text,
        phone text,
        title text,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX contact_lead_uq ON contact (lead_id)`);
    await queryRunner.query(`CREATE INDEX contact_account_idx ON contact (account_id)`);
    await queryRunner.query(`
      CREATE TABLE opportunity_contact (
        opportunity_id uuid NOT NULL REFERENCES opportunity (id),
        contact_id uuid NOT NULL REFERENCES contact (id),
        role text NOT NULL,
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (opportunity_id, contact_id)
      )`);
    await queryRunner.query(`ALTER TABLE opportunity ADD COLUMN account_id uuid REFERENCES account (id)`);
    await queryRunner.query(`CREATE INDEX opportunity_account_idx ON opportunity (account_id)`);
    await queryRunner.query(`
      INSERT INTO account (id, name, normalized_name, industry, region)
      SELECT DISTINCT ON (normalized) gen_random_uuid(), btrim(account_name), normalized, industry, region
        FROM (SELECT *, lower(regexp_replace(btrim(account_name), '\\s+', ' ', 'g')) AS normalized FROM opportunity WHERE btrim(account_name) <> '') named
       ORDER BY normalized, created_at`);
    await queryRunner.query(`
      UPDATE opportunity o SET account_id = a.id FROM account a
       WHERE btrim(o.account_name) <> '' AND a.normalized_name = lower(regexp_replace(btrim(o.account_name), '\\s+', ' ', 'g'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE opportunity DROP COLUMN account_id`);
    await queryRunner.query(`DROP TABLE opportunity_contact`);
    await queryRunner.query(`DROP TABLE contact`);
    await queryRunner.query(`DROP TABLE account`);
  }
}
