import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';

// Typed operations from the composed supergraph: every graphql(`...`) in src/ gets its result and variable types,
// and the manifest of trusted documents (sha256 -> operation) the gateway accepts from this client.
const config: CodegenConfig = {
  schema: [{ 'apps/gateway/supergraph.graphql': { loader: './apps/web/api-schema-loader.cjs' } }],
  documents: ['apps/web/src/**/*.{ts,tsx}', '!apps/web/src/graphql/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'apps/web/src/graphql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false, persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' } },
      // urql's document cache invalidates by __typename, so the registered text carries it too.
      documentTransforms: [addTypenameSelectionDocumentTransform],
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', Date: 'string', Decimal: 'string' },
        strictScalars: true,
        avoidOptionals: { field: true, inputValue: false, object: true },
      },
    },
  },
  hooks: { afterAllFileWrite: [] },
};

export default config;
