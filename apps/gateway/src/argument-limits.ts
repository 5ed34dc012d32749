import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
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
}

const PAGED_ARGUMENTS = ['first', 'cardsPerStage'] as const;
// The pipeline board's own bound (the opportunity subgraph refuses more cards per stage).
const MAX_CARDS_PER_STAGE = 100;
// What the subgraphs use when `first` is left out (stage histories may return more; they are short in practice).
const DEFAULT_PAGE = 50;
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
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
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
  let rows = 0;

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | null | undefined, multiplier: number): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent, multiplier);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), multiplier);
        continue;
      }
      const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[selection.name.value] : undefined;
      const argument = (name: string) => valueOf(selection.arguments?.find((candidate) => candidate.name.value === name)?.value);
      for (const name of PAGED_ARGUMENTS) {
        const value = argument(name);
        const max = name === 'cardsPerStage' ? MAX_CARDS_PER_STAGE : limits.maxPageSize;
        if (typeof value === 'number' && (value < 0 || value > max)) refuse(name, `${name} must be between 0 and ${max}`);
      }
      let childMultiplier = multiplier;
      const pagedBy = PAGED_ARGUMENTS.find((name) => definition?.args.some((arg) => arg.name === name));
      if (pagedBy) {
        const value = argument(pagedBy);
        const page = typeof value === 'number' ? value : DEFAULT_PAGE;
        rows += multiplier * page;
        childMultiplier = multiplier * Math.max(page, 1);
        if (rows > limits.maxRows) refuse(pagedBy, `A request may ask for at most ${limits.maxRows} rows in total (page sizes multiply along nested lists)`);
      }
      if (definition && SIMULATING_FIELDS.has(selection.name.value)) {
        const value = argument('simulations');
        budget.simulations += multiplier * (typeof value === 'number' ? Math.max(value, MIN_SIMULATIONS) : DEFAULT_SIMULATIONS);
        if (budget.simulations > limits.maxSimulations) refuse('simulations', `A request may ask for at most ${limits.maxSimulations} forecast simulations in total`);
      }
      if (selection.selectionSet) walk(selection.selectionSet, definition ? getNamedType(definition.type) : undefined, childMultiplier);
    }
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  walk(operation.selectionSet, root, 1);
}
