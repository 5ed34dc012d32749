import type { MoneyInputLike } from './money';

// A command as a resolver hands it over: the generated input's fields, none parsed yet (money keeps its shape).
// Parsers build `{ ...every field } satisfies Record<keyof Required<Unparsed<Input>>, unknown>`, so a field added
// to the SDL fails to compile until a parser reads it.
export type Unparsed<T> = { [K in keyof T]?: NonNullable<T[K]> extends MoneyInputLike ? MoneyInputLike | null : unknown };
