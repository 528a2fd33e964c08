// Products with a barcode: the store's inventory names them, and a request's
// product card shows them to the shopper and to staff.
import assert from 'node:assert/strict';
import { PASSWORD } from './staff.mjs';

/** The Part-Dieu manager imports one inventory row (sku,name,on_hand,price,gtin). */
export async function stockPartDieu(baseURL, row) {
  const api = (p, init = {}) => fetch(baseURL + '/api/v1' + p, init);
  const login = await (await api('/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'manager.partdieu@example.com', password: PASSWORD }) })).json();
  const imported = await api(`/stores/${login.user.store_id}/inventory`, { method: 'PUT',
    body: `sku,name,on_hand,price,gtin\n${row}\n`,
    headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${login.token}` } });
  assert.equal(imported.status, 200);
}

// The request's product card on page, once it shows the product's name,
// price and how many are available.
export async function productCard(page, name, price, available) {
  const card = page.getByRole('region', { name: 'The product' });
  await card.getByText(name).waitFor();
  await card.getByText(price).waitFor();
  await card.getByText(`${available} available in this store`).waitFor();
  return card;
}
