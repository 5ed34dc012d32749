import { graphql } from '../../graphql/generated';

// Each task carries its record's next activity and overdue count, so a change re-reads the board cards that show them.
export const TaskFieldsFragment = graphql(`
  fragment TaskFields on Task {
    id
    title
    notes
    dueAt
    assigneeId
    status
    overdue
    version
    lead {
      id
      name
      company
      nextActivityAt
      overdueTaskCount
    }
    opportunity {
      id
      name
      accountName
      nextActivityAt
      overdueTaskCount
    }
  }
`);

// Who a task is for, and whom a manager may plan one for (active reps and managers of the team).
export const TaskPersonFragment = graphql(`
  fragment TaskPerson on SalesRep {
    id
    name
    teamId
    role
    active
  }
`);

export const MyWorkQuery = graphql(`
  query MyWork($filter: TaskFilter, $first: Int) {
    tasks(filter: $filter, first: $first) {
      totalCount
      edges {
        node {
          ...TaskFields
        }
      }
    }
    salesReps {
      ...TaskPerson
    }
  }
`);

// What a new task can be planned on: the open opportunities and leads the caller sees (the graph narrows them by role).
export const TaskTargetsQuery = graphql(`
  query TaskTargets {
    opportunities(filter: { status: [OPEN] }, first: 100, orderBy: { field: LAST_ACTIVITY, direction: DESC }) {
      edges {
        node {
          id
          name
          accountName
          owner {
            id
            teamId
          }
        }
      }
    }
    leads(filter: { status: [NEW, WORKING, QUALIFIED] }, first: 100) {
      edges {
        node {
          id
          name
          company
          owner {
            id
            teamId
          }
        }
      }
    }
  }
`);

export const OpportunityTasksQuery = graphql(`
  query OpportunityTasks($id: ID!) {
    opportunity(id: $id) {
      id
      nextActivityAt
      overdueTaskCount
      tasks(status: OPEN) {
        ...TaskFields
      }
    }
    salesReps {
      ...TaskPerson
    }
  }
`);

export const LeadTasksQuery = graphql(`
  query LeadTasks($id: ID!) {
    lead(id: $id) {
      id
      nextActivityAt
      overdueTaskCount
      tasks(status: OPEN) {
        ...TaskFields
      }
    }
    salesReps {
      ...TaskPerson
    }
  }
`);

export const CreateTaskMutation = graphql(`
  mutation CreateTask($input: CreateTaskInput!) {
    createTask(input: $input) {
      task {
        ...TaskFields
      }
    }
  }
`);

export const CompleteTaskMutation = graphql(`
  mutation CompleteTask($input: CompleteTaskInput!) {
    completeTask(input: $input) {
      task {
        ...TaskFields
      }
    }
  }
`);

export const RescheduleTaskMutation = graphql(`
  mutation RescheduleTask($input: RescheduleTaskInput!) {
    rescheduleTask(input: $input) {
      task {
        ...TaskFields
      }
    }
  }
`);

export const CancelTaskMutation = graphql(`
  mutation CancelTask($input: CancelTaskInput!) {
    cancelTask(input: $input) {
      task {
        ...TaskFields
      }
    }
  }
`);

export const UnreadCountQuery = graphql(`
  query UnreadCount {
    unreadNotificationCount
  }
`);

export const InboxQuery = graphql(`
  query Inbox($first: Int, $unreadOnly: Boolean) {
    notifications(first: $first, unreadOnly: $unreadOnly) {
      totalCount
      edges {
        node {
          id
          kind
          title
          body
          createdAt
          readAt
          lead {
            id
            name
            company
          }
          opportunity {
            id
            name
            accountName
          }
        }
      }
    }
    unreadNotificationCount
    salesReps {
      id
      name
    }
  }
`);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      markedCount
      unreadCount
    }
  }
`);
