// @ts-check
/** Two tabs, chosen by the URL's hash so each can be linked to: #preview and #status. */
import { byId } from './dom.js';
import { startPreview } from './preview.js';
import { setStatusActive } from './status.js';

const TABS = ['preview', 'status'];

function showTab() {
  const wanted = location.hash.slice(1);
  const tab = TABS.includes(wanted) ? wanted : 'preview';
  for (const name of TABS) {
    byId(name).hidden = name !== tab;
    byId(`tab-${name}`).setAttribute('aria-current', name === tab ? 'page' : 'false');
  }
  document.title = `alertcord · ${tab === 'status' ? 'Delivery status' : 'Template preview'}`;
  setStatusActive(tab === 'status' && document.visibilityState === 'visible');
}

addEventListener('hashchange', showTab);
document.addEventListener('visibilitychange', showTab);
showTab();
startPreview().catch((err) => {
  const problem = byId('payload-error');
  problem.textContent = `Cannot load templates and samples: ${String(err)}`;
  problem.hidden = false;
});
