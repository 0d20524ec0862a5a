// Forms without JavaScript (issue 20): `data-journey-fields` turns a submitted form's fields into props, in every
// engine of engines/index.mjs. The page (test/fixtures/forms.html) has no script of its own: each form submits and
// navigates as a theme's does, and what its event carried is read at the collector.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCapture, requireBundle } from './capture.mjs';
import { ENGINES, openShop, waitFor } from './engines/index.mjs';

const ofType = (type) => (evs) => {
  const found = evs.filter((e) => e.type === type);
  return found.length > 0 && found;
};

for (const engine of ENGINES) {
  describe(`${engine.name}: form fields as props (data-journey-fields)`, () => {
    let cap, browser;
    beforeAll(async () => {
      requireBundle();
      browser = await engine.launch();
    });
    afterAll(async () => {
      await browser?.close();
      await engine.stop?.();
    });
    beforeEach(async () => {
      cap = await createCapture();
    });
    afterEach(async () => {
      await browser.closePages();
      await cap.close();
    });

    /**
     * Fills the form `id` in the page (`fill` runs there), submits it with its button and waits for the page it
     * leads to (closing a page mid-navigation could hang the driver).
     */
    const submit = async (id, fill) => {
      const page = await openShop(browser, cap.url('/forms/'));
      await page.eval(fill);
      await page.eval((id) => void document.querySelector(`#${id} button`).click(), id);
      await waitFor(page, () => location.pathname != '/forms/' && document.readyState == 'complete', undefined, {
        what: 'the form to submit',
      });
      return page;
    };

    it("the README's search form sends search_term", async () => {
      await submit('search', () => void (document.querySelector('#search [name=q]').value = 'linen shirt'));
      const [e] = await cap.waitForEvents(ofType('search'));
      expect(e.props).toEqual({ search_term: 'linen shirt' });
    });

    it('an NPS form of radio buttons sends the chosen score as a number', async () => {
      await submit('nps', () => void document.querySelector('#nps [value="9"]').click());
      const [e] = await cap.waitForEvents(ofType('nps_response'));
      expect(e.props).toEqual({ score: 9 });
      expect(e.stage).toBe('advocacy');
    });

    it('a product form sends the chosen quantity and variant in its item, and value = price × quantity', async () => {
      await submit('product', () => {
        document.querySelector('#product [name=variant]').value = 'M';
        document.querySelector('#product [name=quantity]').value = '2';
      });
      const [e] = await cap.waitForEvents(ofType('add_to_cart'));
      expect(e.props).toEqual({
        currency: 'EUR',
        value: 39.8,
        items: [{ item_id: 'SKU-1', price: 19.9, quantity: 2, item_variant: 'M' }],
      });
    });

    it('never sends the password, e-mail, phone, card or hidden fields a form lists', async () => {
      await submit('signup', () => {
        const set = (n, v) => void (document.querySelector(`#signup [name=${n}]`).value = v);
        set('email', 'jane@example.com');
        set('password', 'hunter2-secret');
        set('phone', '+49 170 1234567');
        set('card', '4111 1111 1111 1111');
      });
      const [e] = await cap.waitForEvents(ofType('sign_up'));
      expect(e.props).toEqual({});
      const body = JSON.stringify(cap.requests.map((r) => r.body));
      expect(body).not.toMatch(/jane|hunter2|1234567|4111|csrf-token/);
    });
  });
}
