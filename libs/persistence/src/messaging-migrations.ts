import { CreateMessagingTables1764150000000 } from './messaging-tables.migration';
import { ParkRefusedOutboxRows1764950000000 } from './outbox-parking.migration';

// The outbox and inbox tables every service's database holds, in the order they were introduced.
export const MESSAGING_MIGRATIONS = [CreateMessagingTables1764150000000, ParkRefusedOutboxRows1764950000000];
