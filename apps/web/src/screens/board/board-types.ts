import type { BoardQuery } from '../../graphql/generated/graphql';

export type BoardColumnData = BoardQuery['pipelineBoard']['columns'][number];
export type BoardCard = BoardColumnData['cards'][number];
