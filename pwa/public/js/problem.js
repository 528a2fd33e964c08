// What to tell someone when a call failed, in one place: screens import it
// without the Get help flow's memory (flow.js).
import { NetworkError } from './api.js';
import { t } from './i18n.js';

/** What to tell someone when a call failed, and what to do next. */
export function problemText(err) {
  return err instanceof NetworkError ? t('error.network') : t('error.server');
}
