// An entity owned by another subgraph, referenced by key only.
export interface EntityStub {
  __typename?: string;
  id: string;
}
