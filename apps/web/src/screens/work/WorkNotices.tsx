import type { CombinedError } from 'urql';

import { failureOf } from '../../app/client';

// What the last task change did (announced politely) and why the tasks could not be read, above a task list.
export function WorkNotices({ done, error }: { done: string | null; error: CombinedError | undefined }) {
  return (
    <>
      <div aria-live="polite">
        {done && (
          <p className="ok" role="status">
            {done}
          </p>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {failureOf(error)?.message}
        </p>
      )}
    </>
  );
}
