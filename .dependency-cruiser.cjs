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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
