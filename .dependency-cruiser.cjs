/**
 * Architecture rules (issue 14): the folders of src/ follow the path of an alert and may not
 * import each other in a cycle. `npm run lint` checks them.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const HTTP = '^(node_modules/(express|undici)/|https?$|http2$)';

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycle',
      comment: 'The folders of src/ form a graph without cycles: a folder may not reach back to itself.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/[^/]+$' },
      to: { path: '^src/[^/]+$', circular: true },
    },
    {
      name: 'no-circular',
      comment: 'No file reaches itself through its imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'render-is-pure',
      comment: 'Rendering knows templates and Discord limits, not who delivers, routes or configures.',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/(delivery|server|routing|lifecycle|config)/' },
    },
    {
      name: 'discord-is-a-client',
      comment: 'The Discord client knows Discord; delivery and routing use it, never the reverse.',
      severity: 'error',
      from: { path: '^src/discord/' },
      to: { path: '^src/(delivery|routing)/' },
    },
    {
      name: 'alertmanager-no-http',
      comment: "Alertmanager's payload and syntax are data: no HTTP here.",
      severity: 'error',
      from: { path: '^src/alertmanager/' },
      to: { path: HTTP },
    },
    {
      name: 'config-no-http',
      comment: 'Loading a config reads files, never the network or the server.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: [HTTP, '^src/server/'] },
    },
    {
      name: 'shared-is-a-leaf',
      comment: 'shared/ is what every folder may use: it imports nothing else of src/.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'no-orphans',
      comment: 'Every file of src/ is imported by something (or is an entry point).',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: ['^src/cli\\.ts$', '\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are part of the design too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
