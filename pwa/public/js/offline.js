// The page the service worker shows when neither the network nor the cached shell
// can answer a navigation. It speaks the person's language like the app does.
import { initLanguage, loadShopperStrings, translateStatic } from './i18n.js';

document.getElementById('retry').addEventListener('click', () => location.reload());
initLanguage();
// The English in the page stays when the strings cannot be had either.
loadShopperStrings().then(() => translateStatic(), () => {});
