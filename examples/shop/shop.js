// The demo shop's own script: a cart in localStorage, and keeping data-journey-* attributes
// up to date the way a theme would. It never calls the tracker: attributes are the whole contract.
(() => {
  const CART = 'nordlys-cart';
  const ORDERS = 'nordlys-orders';
  const $ = (s) => document.querySelector(s);
  const $$ = (s) => [...document.querySelectorAll(s)];
  const read = (k) => {
    try {
      return JSON.parse(localStorage.getItem(k) || '[]');
    } catch {
      return [];
    }
  };
  const write = (k, v) => {
    try {
      localStorage.setItem(k, JSON.stringify(v));
    } catch {
      // Private mode or a full quota: the demo cart just does not persist.
    }
  };
  const euro = (n) => `€${n.toFixed(2)}`;
  const total = (items) => Math.round(items.reduce((s, i) => s + i.price * i.quantity, 0) * 100) / 100;
  const itemOf = (el) => ({
    item_id: el.dataset.journeyPropItem_id,
    item_name: el.dataset.journeyPropItem_name,
    item_brand: el.dataset.journeyPropItem_brand,
    item_category: el.dataset.journeyPropItem_category,
    price: Number(el.dataset.journeyPropPrice),
    quantity: 1,
  });

  const cart = read(CART);
  const count = () => $$('[data-cart-count]').forEach((el) => (el.textContent = cart.reduce((s, i) => s + i.quantity, 0)));
  count();

  for (const b of $$('[data-add-to-cart]'))
    b.addEventListener('click', () => {
      const item = itemOf(b);
      const line = cart.find((i) => i.item_id === item.item_id);
      if (line) line.quantity++;
      else cart.push(item);
      write(CART, cart);
      count();
      b.textContent = 'Added ✓';
    });

  const lines = (items) =>
    items.length
      ? `<ul>${items.map((i) => `<li>${i.item_name} × ${i.quantity} <span>${euro(i.price * i.quantity)}</span></li>`).join('')}</ul>`
      : '<p class="muted">Your cart is empty.</p>';
  for (const el of $$('[data-cart-lines]')) el.innerHTML = lines(cart);
  for (const el of $$('[data-cart-total]')) el.textContent = euro(total(cart));
  // Commerce events on the cart and checkout carry the whole cart, as data-journey-props.
  const cartProps = JSON.stringify({ currency: 'EUR', value: total(cart), items: cart });
  for (const el of $$('[data-cart-event]')) el.setAttribute('data-journey-props', cartProps);
  const cartLines = $('[data-cart-lines]');
  if (cartLines && location.pathname.endsWith('/cart.html')) {
    cartLines.setAttribute('data-journey-view', 'view_cart');
    cartLines.setAttribute('data-journey-props', cartProps);
  }

  // Thank-you page: the order is the cart at payment. A reload shows the same order with the
  // same transaction_id, which the tracker never reports twice.
  const summary = $('[data-order-summary]');
  if (summary) {
    const orders = read(ORDERS);
    let order = orders[0];
    if (cart.length) {
      order = {
        transaction_id: `NL-${Date.now().toString(36).toUpperCase()}`,
        value: total(cart),
        currency: 'EUR',
        items: cart.splice(0),
      };
      orders.unshift(order);
      write(ORDERS, orders);
      write(CART, cart);
      count();
    }
    if (order) {
      $('[data-order-id]').textContent = order.transaction_id;
      const box = document.createElement('section');
      box.className = 'lines';
      box.setAttribute('data-journey-view', 'purchase');
      box.setAttribute('data-journey-props', JSON.stringify(order));
      box.innerHTML = `${lines(order.items)}<p class="total">Paid: <strong>${euro(order.value)}</strong></p>`;
      summary.append(box);
    }
  }

  const past = $('[data-orders]');
  const orders = read(ORDERS);
  if (past && orders.length)
    past.innerHTML = orders
      .map((o) => `<li><a href="thank-you.html">${o.transaction_id}</a> · ${euro(o.value)} · shipped</li>`)
      .join('');

  const q = new URLSearchParams(location.search).get('q');
  const said = $('[data-search-summary]');
  if (said && q) said.textContent = `Results for “${q}”`;
  const item = new URLSearchParams(location.search).get('item');
  const select = $('[data-review-form] select[name=item]');
  if (select && item) select.value = item;

  const link = $('[data-referral-link]');
  if (link) link.textContent = `${location.origin}/shop/?ref=ALEX10`;
  const copy = $('[data-copy-referral]');
  if (copy)
    copy.addEventListener('click', () => {
      navigator.clipboard?.writeText(link.textContent).catch(() => {});
      copy.textContent = 'Link copied ✓';
    });
})();
