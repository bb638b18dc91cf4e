const PLAIN = new Set(['/alerts', '/healthz', '/readyz', '/metrics']);
const API = new Set(['render', 'templates', 'samples', 'status', 'dead-letters']);

/**
 * The route a request is counted under. A fixed set of values: the raw path is the client's
 * to choose, and every distinct label value would be a new time series.
 */
export function routeLabel(path: string): string {
  if (PLAIN.has(path)) return path;
  if (path.startsWith('/alerts/')) return '/alerts/:path';
  if (path.startsWith('/api/')) {
    const endpoint = /^\/api\/v1\/([a-z-]+)$/.exec(path)?.[1];
    return endpoint !== undefined && API.has(endpoint) ? `/api/v1/${endpoint}` : '/api/other';
  }
  if (path === '/ui' || path.startsWith('/ui/')) return '/ui';
  return 'other';
}
