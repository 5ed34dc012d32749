import { LIST_LIMITS } from '@pipeline/domain';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';

export interface ArgumentLimitSettings {
  maxPageSize: number;
  // Rows a request may ask for in total: page sizes multiplied along nested lists, summed over fields and aliases.
  maxRows: number;
  maxSimulations: number;
}

// Shared by the operations of one HTTP request (a batch), so batching cannot multiply the work either.
export interface RequestBudget {
  simulations: number;
  rows: number;
}

export const newRequestBudget = (): RequestBudget => ({ simulations: 0, rows: 0 });

const PAGED_ARGUMENTS = ['first', 'cardsPerStage'] as const;
const { page, stageHistory, boardCardsPerStage } = LIST_LIMITS;

// How many items a list field returns: paged ones what `first` asks or the subgraph's default, bounded ones the
// cap the owning service enforces, board cards what their board asked per stage. Unlisted paged fields use the
// common page default.
type ListSize = { paged: { default: number } } | { bounded: number } | { cardsOfBoard: true };
const LIST_SIZES: Record<string, ListSize> = {
  'Opportunity.stageHistory': { paged: stageHistory },
  'Query.weeklySummaries': { paged: { default: 12 } },
  'PipelineBoard.columns': { bounded: LIST_LIMITS.stagesPerPipeline },
  'BoardColumn.cards': { cardsOfBoard: true },
  'Pipeline.stages': { bounded: LIST_LIMITS.stagesPerPipeline },
  'Deal.proposals': { bounded: LIST_LIMITS.proposalsPerDeal },
  'Proposal.lineItems': { bounded: LIST_LIMITS.lineItemsPerProposal },
  'Deal.approvals': { bounded: LIST_LIMITS.approvalsPerDeal },
  'Deal.commitments': { bounded: LIST_LIMITS.commitmentsPerDeal },
};
// The analytics subgraph runs at least this many simulations whatever is asked, and this many by default.
const MIN_SIMULATIONS = 100;
const DEFAULT_SIMULATIONS = 2_000;
// Fields that run a Monte Carlo forecast: the query with its `simulations`, the snapshot mutation with the default.
const SIMULATING_FIELDS = new Set(['forecast', 'takeForecastSnapshot']);

const refuse = (field: string, message: string): never => {
  throw new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } } });
};

// Walks only the operation that will run (and the fragments it spreads), with the schema's types, so an operation
// that is never executed, a fragment or an inline type condition can neither hide work nor pay for it.
export function checkArgumentLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
  limits: ArgumentLimitSettings,
  budget: RequestBudget,
): void {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const defaults = new Map((operation.variableDefinitions ?? []).map((definition) => [definition.variable.name.value, definition.defaultValue]));
  const valueOf = (node: ValueNode | undefined): unknown => {
    if (node?.kind === Kind.VARIABLE) {
      const name = node.name.value;
      // Own properties only: `constructor` and friends are not variables the client sent.
      return variables && Object.hasOwn(variables, name) ? variables[name] : valueOf(defaults.get(name));
    }
    return node?.kind === Kind.INT ? Number(node.value) : undefined;
  };
  // What a list field will return, if it is one this gateway sizes; `cardsPerStage` is the enclosing board's.
  const sizeOf = (
    coordinate: string,
    definition: GraphQLField<unknown, unknown> | undefined,
    argument: (name: string) => unknown,
    cardsPerStage: number,
  ): number | null => {
    const listed = LIST_SIZES[coordinate];
    const asked = argument('first');
    if (listed && 'bounded' in listed) return listed.bounded;
    if (listed && 'cardsOfBoard' in listed) return cardsPerStage;
    if (listed || definition?.args.some((arg) => arg.name === 'first')) return typeof asked === 'number' ? asked : listed ? listed.paged.default : page.default;
    return null;
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | null | undefined, multiplier: number, cardsPerStage: number): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent, multiplier, cardsPerStage);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), multiplier, cardsPerStage);
        continue;
      }
      const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
      const argument = (name: string) => valueOf(selection.arguments?.find((candidate) => candidate.name.value === name)?.value);
      for (const name of PAGED_ARGUMENTS) {
        const value = argument(name);
        const max = name === 'cardsPerStage' ? boardCardsPerStage.max : limits.maxPageSize;
        if (typeof value === 'number' && (value < 0 || value > max)) refuse(name, `${name} must be between 0 and ${max}`);
      }
      const askedCards = argument('cardsPerStage');
      const boardCards = typeof askedCards === 'number' ? askedCards : cardsPerStage;
      let childMultiplier = multiplier;
      const size = parent ? sizeOf(`${parent.name}.${selection.name.value}`, definition, argument, cardsPerStage) : null;
      if (size !== null) {
        budget.rows += multiplier * size;
        childMultiplier = multiplier * Math.max(size, 1);
        if (budget.rows > limits.maxRows)
          refuse(
            selection.name.value,
            `A request may ask for at most ${limits.maxRows} rows in total (list sizes multiply along nested lists and add up over a batch)`,
          );
      }
      if (definition && SIMULATING_FIELDS.has(selection.name.value)) {
        const value = argument('simulations');
        budget.simulations += multiplier * (typeof value === 'number' ? Math.max(value, MIN_SIMULATIONS) : DEFAULT_SIMULATIONS);
        if (budget.simulations > limits.maxSimulations)
          refuse('simulations', `A request may ask for at most ${limits.maxSimulations} forecast simulations in total`);
      }
      if (selection.selectionSet) walk(selection.selectionSet, definition ? getNamedType(definition.type) : undefined, childMultiplier, boardCards);
    }
  };

  const root =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  walk(operation.selectionSet, root, 1, boardCardsPerStage.default);
}
