// The page the service worker shows when neither the network nor the cached shell
// can answer a navigation. It speaks the person's language like the app does.
import { initLanguage, translateStatic } from './i18n.js';

initLanguage();
translateStatic();
document.getElementById('retry').addEventListener('click', () => location.reload());
