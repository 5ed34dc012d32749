// How many items each list of the graph returns at most, and by default where a client chooses: the services
// enforce these and the gateway sizes every request's work with them, so the two cannot drift apart.
export const LIST_LIMITS = {
  page: { default: 50, max: 500 },
  // A stage history is returned whole unless it is longer than this.
  stageHistory: { default: 500, max: 500 },
  boardCardsPerStage: { default: 10, max: 100 },
  stagesPerPipeline: 30,
  proposalsPerDeal: 50,
  lineItemsPerProposal: 200,
  approvalsPerDeal: 100,
  commitmentsPerDeal: 100,
} as const;
