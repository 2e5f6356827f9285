/** Module boundaries the lint checks: no import cycles (type imports included). */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A module never imports, directly or through others, a module that imports it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'app-uses-dependencies-only',
      severity: 'error',
      comment: 'What the Function App runs (functions/, shared/) imports only runtime dependencies: the deployment package holds no devDependencies.',
      from: { path: '^(functions|shared)/' },
      to: { dependencyTypes: ['npm-dev', 'npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'] },
    },
    {
      name: 'portal-speaks-only-the-api',
      severity: 'error',
      comment: 'The web console (portal/) talks to the service only through its public HTTP API: no import of the app, the local host, the CLI or the tests.',
      from: { path: '^portal/' },
      to: { path: '^(functions|shared|host|cli|scripts|test)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
