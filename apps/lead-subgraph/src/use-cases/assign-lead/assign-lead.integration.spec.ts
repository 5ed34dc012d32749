import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { adminActor, errorCodes, expectNoErrors, managerActor, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createLead, createRep, LEAD_FIELDS, startLeadService } from '../../test-support';

describe('lead assignment', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('assign_lead');
  });
  afterAll(async () => subject?.stop());

  it('assigns new leads by rules (region and industry, then free capacity) and says which rule chose', async () => {
    // Arrange: a unique region, so only these reps match
    const region = `R${randomUUID().slice(0, 6)}`;
    const generalist = await createRep(subject.as(admin), { regions: [region], capacity: 10 });
    const specialist = await createRep(subject.as(admin), { regions: [region], industries: ['Robotics'], capacity: 1 });

    // Act
    const first = await createLead(subject.as(admin), { region, industry: 'Robotics' });
    const second = await createLead(subject.as(admin), { region, industry: 'Robotics' });
    const elsewhere = await createLead(subject.as(admin), { region: `none-${region}`, industry: 'Unheard-of' });

    // Assert
    expect(first.owner.id).toBe(specialist);
    expect(first.assignmentReason).toMatch(/covers region .* and industry Robotics/);
    expect(second.owner.id).toBe(generalist);
    expect(second.assignmentReason).toMatch(/covers region/);
    expect(elsewhere.owner).toBeNull();
    expect(elsewhere.assignmentReason).toMatch(/^Fallback queue/);
  });

  it('lets a manager assign within the team and refuses outside it, and refuses reps', async () => {
    // Arrange
    const teammate = await createRep(subject.as(admin), { teamId: 'north' });
    const outsider = await createRep(subject.as(admin), { teamId: 'south' });
    const lead = await createLead(subject.as(admin), { region: `Q${randomUUID().slice(0, 5)}` });
    const manager = managerActor('north');
    const assign = (actor: ReturnType<typeof adminActor>, ownerId: string) =>
      subject.as(actor)<any>(`mutation($input: AssignLeadInput!) { assignLead(input: $input) { lead { ${LEAD_FIELDS} } } }`, {
        input: { leadId: lead.id, ownerId },
      });

    // Act
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();
    const inTeam = await assign(manager, teammate);
    const outside = await assign(manager, outsider);
    const byRep = await assign(repActor(teammate, 'north'), teammate);

    // Assert
    expect(expectNoErrors(inTeam).assignLead.lead).toMatchObject({ owner: { id: teammate }, assignmentReason: expect.stringMatching(/^Assigned by hand/) });
    expect(errorCodes(outside)).toEqual(['FORBIDDEN']);
    expect(errorCodes(byRep)).toEqual(['FORBIDDEN']);
    const event = await waitFor(
      () => reader.parsed<any>().find(({ event }) => event.subject === lead.id && event.type === 'sales.lead.assigned.v1' && event.data.ownerId === teammate),
      {
        what: 'lead.assigned',
      },
    );
    await reader.stop();
    expect(event.event.data).toMatchObject({ assignedBy: manager.userId, previousOwnerId: null });
  });
});
