/*!
 * stripe-standin.js: development/test stand-in for the part of Stripe.js v3
 * that the checkout uses: the Payment Element in the "finalize payments on
 * the server" flow. Production loads https://js.stripe.com/v3/ instead.
 * Card data goes from the browser to localstripe only, never to the shop.
 *
 * API BASE: the data-api-base attribute of the <script> tag that loads this
 * file (real Stripe.js ignores it), default http://127.0.0.1:8420:
 *   <script src=".../stripe-standin.js" data-api-base="http://127.0.0.1:8420">
 *
 * What it covers (same names and result shapes as Stripe.js):
 *   Stripe(pk) -> {elements, createPaymentMethod, handleNextAction,
 *                  retrievePaymentIntent}
 *   elements({mode, amount, currency, appearance}) -> {create('payment'),
 *     getElement, update, submit, fetchUpdates}
 *   paymentElement: mount, unmount, destroy, on/off/once, focus, blur, clear,
 *     update. Events: ready, change {elementType, empty, complete, collapsed,
 *     value:{type:'card'}} (no `error` key, as in the real Payment Element),
 *     focus, blur, escape.
 *   elements.submit() -> {error:{type:'validation_error', code, message}}
 *     or {selectedPaymentMethod:'card'}.
 *   The fields are plain inputs (no name attribute, so a surrounding <form>
 *   never posts them) with <label>, aria-invalid and role=alert error text.
 *   Classes: stripe-standin, stripe-standin__field(--number|expiry|cvc|postal),
 *   __label, __input, __error, stripe-standin-3ds (the 3DS <dialog>); the
 *   mount node also gets StripeElement, StripeElement--focus/--empty/
 *   --complete/--invalid like Stripe.js. Built-in CSS uses :where() (zero
 *   specificity), so any page rule wins.
 *
 * localstripe 1.15.10 quirks handled here:
 *   - POST /v1/payment_methods refuses publishable keys (401). On 401 the
 *     card is tokenized with POST /v1/tokens and paymentMethod.id is the
 *     token's card_... id (PaymentIntents accept it as payment_method).
 *   - GET /v1/payment_intents/:id refuses publishable keys (401), so
 *     retrievePaymentIntent returns the last PaymentIntent handleNextAction
 *     saw, or an error. 3DS: POST /v1/payment_intents/:id/_authenticate.
 *   - Only 16-digit card numbers and 3-digit CVCs are accepted.
 */
(() => {
  'use strict';
  const tag = document.currentScript || document.querySelector('script[data-api-base]');
  const API = ((tag && tag.dataset.apiBase) || 'http://127.0.0.1:8420').replace(/\/+$/, '');
  const C = 'stripe-standin';
  const CSS = `:where(.${C}){display:grid;grid-template-columns:1fr 1fr;gap:.75rem;font-family:var(--ss-font,system-ui,sans-serif);color:var(--ss-text,#30313d)}
:where(.${C}__field--number,.${C}__field--postal){grid-column:1/-1}
:where(.${C}__label){display:block;font-size:.875rem;margin-bottom:.25rem}
:where(.${C}__input){box-sizing:border-box;width:100%;padding:.6rem .75rem;font:inherit;color:inherit;background:var(--ss-bg,#fff);border:1px solid #d0d5dd;border-radius:var(--ss-radius,5px)}
:where(.${C}__input:focus){outline:2px solid var(--ss-primary,#0570de);outline-offset:1px}
:where(.${C}__input[aria-invalid=true]){border-color:var(--ss-danger,#df1b41)}
:where(.${C}__error){color:var(--ss-danger,#df1b41);font-size:.8125rem;margin-top:.25rem}
:where(.${C}-3ds){max-width:22rem;padding:1.25rem;border:1px solid #ccc;border-radius:8px;font-family:system-ui,sans-serif}
:where(.${C}-3ds)::backdrop{background:rgba(0,0,0,.4)}
:where(.${C}-3ds button){margin:.25rem;padding:.5rem .9rem;font:inherit}`;
  let seq = 0;

  class IntegrationError extends Error {
    constructor(m) { super(m); this.name = 'IntegrationError'; }
  }
  const css = () => {
    if (document.getElementById(C + '-css')) return;
    const s = document.createElement('style');
    s.id = C + '-css';
    s.textContent = CSS;
    document.head.prepend(s);
  };
  // Form-encode nested objects the way Stripe does: card[number]=...
  const enc = (o, pre, out = []) => {
    for (const [k, v] of Object.entries(o)) {
      if (v == null || v === '') continue;
      const key = pre ? `${pre}[${k}]` : k;
      if (typeof v === 'object') enc(v, key, out);
      else out.push(encodeURIComponent(key) + '=' + encodeURIComponent(v));
    }
    return out;
  };
  // Form-encoded POST / plain GET = CORS "simple" requests (localstripe has
  // no preflight support). Resolves {status, body}; status 0 = no connection.
  const api = async (method, path, data) => {
    const q = enc(data).join('&');
    try {
      const res = await fetch(API + path + (method === 'GET' ? '?' + q : ''), method === 'GET' ? {} :
        {method, body: q, headers: {'Content-Type': 'application/x-www-form-urlencoded'}});
      const body = await res.json().catch(() => ({}));
      // localstripe labels declines invalid_request_error; Stripe says card_error.
      if (res.status === 402 && body.error) body.error.type = 'card_error';
      return {status: res.status, body};
    } catch (e) {
      return {status: 0, body: {error: {type: 'api_connection_error',
        message: 'An error occurred with our connection to Stripe.'}}};
    }
  };

  const digits = s => s.replace(/\D/g, '');
  const isAmex = n => /^3[47]/.test(n);
  const luhn = n => [...n].reverse().reduce((s, ch, i) => {
    let d = +ch;
    if (i % 2 && (d *= 2) > 9) d -= 9;
    return s + d;
  }, 0) % 10 === 0;
  // [name, label, autocomplete, placeholder, formatter]
  const FIELDS = [
    ['number', 'Card number', 'cc-number', '1234 1234 1234 1234',
      v => digits(v).slice(0, 16).replace(/(\d{4})(?=\d)/g, '$1 ')],
    ['expiry', 'Expiration (MM / YY)', 'cc-exp', 'MM / YY', v => {
      const d = digits(v).slice(0, 4);
      return d.length > 2 ? d.slice(0, 2) + ' / ' + d.slice(2) : d;
    }],
    ['cvc', 'CVC', 'cc-csc', 'CVC', v => digits(v).slice(0, 4)],
    ['postal', 'ZIP', 'postal-code', '12345', v => v.slice(0, 10)],
  ];
  // Returns [code, message] (Stripe's wording) or null when the value is valid.
  const check = (name, v, number) => {
    const d = digits(v);
    if (name === 'number') {
      if (d.length < (isAmex(d) ? 15 : 16)) return ['incomplete_number', 'Your card number is incomplete.'];
      if (!luhn(d)) return ['invalid_number', 'Your card number is invalid.'];
    } else if (name === 'expiry') {
      if (d.length < 4) return ['incomplete_expiry', "Your card's expiration date is incomplete."];
      const m = +d.slice(0, 2), y = 2000 + +d.slice(2), now = new Date();
      const cy = now.getFullYear(), cm = now.getMonth() + 1;
      if (m < 1 || m > 12) return ['invalid_expiry_month', "Your card's expiration date is invalid."];
      if (y < cy) return ['invalid_expiry_year_past', "Your card's expiration year is in the past."];
      if (y === cy && m < cm) return ['invalid_expiry_month_past', "Your card's expiration date is in the past."];
      if (y > cy + 50) return ['invalid_expiry_year', "Your card's expiration year is invalid."];
    } else if (name === 'cvc') {
      if (d.length < (isAmex(digits(number)) ? 4 : 3)) return ['incomplete_cvc', "Your card's security code is incomplete."];
      if (d.length > 3 && !isAmex(digits(number))) return ['invalid_cvc', "Your card's security code is invalid."];
    } else if (!/^[a-z0-9][a-z0-9 -]{2,9}$/i.test(v.trim())) {
      return [v.trim() ? 'invalid_zip' : 'incomplete_zip', v.trim() ? 'Your ZIP is invalid.' : 'Your ZIP is incomplete.'];
    }
    return null;
  };

  class PaymentElement {
    constructor(els, opts) { this._els = els; this._opts = opts || {}; this._h = {}; this._root = null; }
    on(ev, fn) { (this._h[ev] = this._h[ev] || []).push(fn); return this; }
    off(ev, fn) { this._h[ev] = (this._h[ev] || []).filter(f => f !== fn && f._o !== fn); return this; }
    once(ev, fn) { const w = e => { this.off(ev, w); fn(e); }; w._o = fn; return this.on(ev, w); }
    _emit(ev, e) { (this._h[ev] || []).slice().forEach(fn => fn(Object.assign({elementType: 'payment'}, e))); }
    mount(target) {
      const host = typeof target === 'string' ? document.querySelector(target) : target;
      if (!(host instanceof window.Element)) throw new IntegrationError('Invalid DOM element. Make sure to call mount() with a valid DOM element or selector.');
      if (this._els._pe !== this) throw new IntegrationError('This Element has already been destroyed. Please create a new one.');
      if (this._root) throw new IntegrationError('This Element is already mounted. Use `unmount()` to unmount the Element before re-mounting.');
      css();
      const root = this._root = document.createElement('div');
      root.className = C;
      this._host = host;
      this._in = {};
      const bd = this._opts.fields && this._opts.fields.billingDetails;
      const noZip = bd === 'never' || (bd && (bd.address === 'never' || (bd.address && bd.address.postalCode === 'never')));
      const id = C + '-' + ++seq;
      for (const [name, label, ac, ph, fmt] of FIELDS) {
        if (name === 'postal' && noZip) continue;
        const wrap = document.createElement('div'), lab = document.createElement('label'),
          inp = document.createElement('input'), err = document.createElement('div');
        wrap.className = `${C}__field ${C}__field--${name}`;
        lab.className = C + '__label';
        lab.htmlFor = inp.id = `${id}-${name}`;
        lab.textContent = label;
        inp.className = C + '__input';
        Object.entries({type: 'text', autocomplete: ac, placeholder: ph, spellcheck: 'false', 'aria-required': 'true',
          'aria-invalid': 'false', 'aria-describedby': `${id}-${name}-error`,
          inputmode: name === 'postal' ? 'text' : 'numeric'}).forEach(([k, v]) => inp.setAttribute(k, v));
        err.className = C + '__error';
        err.id = `${id}-${name}-error`;
        err.setAttribute('role', 'alert');
        inp.addEventListener('input', () => {
          const f = fmt(inp.value);
          if (f !== inp.value) inp.value = f;
          if (inp.getAttribute('aria-invalid') === 'true') this._show(name);
          this._change();
        });
        inp.addEventListener('blur', () => { if (inp.value) this._show(name); });
        inp.addEventListener('keydown', e => { if (e.key === 'Escape') this._emit('escape', {}); });
        wrap.append(lab, inp, err);
        root.append(wrap);
        this._in[name] = inp;
      }
      root.addEventListener('focusin', e => {
        host.classList.add('StripeElement--focus');
        if (!root.contains(e.relatedTarget)) this._emit('focus', {});
      });
      root.addEventListener('focusout', e => {
        if (root.contains(e.relatedTarget)) return;
        host.classList.remove('StripeElement--focus');
        this._emit('blur', {});
      });
      this._appearance();
      host.classList.add('StripeElement');
      host.append(root);
      this._classes();
      setTimeout(() => this._emit('ready', {}));
    }
    _appearance() {
      const v = ((this._els._opts.appearance || {}).variables) || {};
      const map = {colorPrimary: 'primary', colorText: 'text', colorDanger: 'danger', colorBackground: 'bg', fontFamily: 'font', borderRadius: 'radius'};
      if (this._root) for (const k in map) if (v[k]) this._root.style.setProperty('--ss-' + map[k], v[k]);
    }
    _err(name) { return check(name, this._in[name].value, this._in.number.value); }
    // Show (or clear) the error of one field; returns its [code, message] or null.
    _show(name) {
      const e = this._err(name), inp = this._in[name];
      inp.setAttribute('aria-invalid', String(!!e));
      document.getElementById(inp.getAttribute('aria-describedby')).textContent = e ? e[1] : '';
      this._classes();
      return e;
    }
    _classes() {
      const cl = this._host.classList, ins = Object.values(this._in);
      cl.toggle('StripeElement--empty', ins.every(i => !i.value));
      cl.toggle('StripeElement--complete', Object.keys(this._in).every(n => !this._err(n)));
      cl.toggle('StripeElement--invalid', ins.some(i => i.getAttribute('aria-invalid') === 'true'));
    }
    _change() {
      this._els._ok = false;
      this._classes();
      const cl = this._host.classList;
      this._emit('change', {empty: cl.contains('StripeElement--empty'), complete: cl.contains('StripeElement--complete'),
        collapsed: false, value: {type: 'card'}});
    }
    unmount() {
      if (!this._root) return;
      this._root.remove();
      this._host.classList.remove('StripeElement', 'StripeElement--focus', 'StripeElement--empty', 'StripeElement--complete', 'StripeElement--invalid');
      this._root = this._in = null;
    }
    destroy() { this.unmount(); if (this._els._pe === this) this._els._pe = null; }
    focus() { if (this._root) this._root.querySelector('input').focus(); }
    blur() { if (this._root && this._root.contains(document.activeElement)) document.activeElement.blur(); }
    clear() {
      if (!this._root) return;
      for (const n in this._in) { this._in[n].value = ''; this._show(n); }
      this._change();
    }
    update(opts) { Object.assign(this._opts, opts); }
  }

  class Elements {
    constructor(opts) { this._opts = Object.assign({}, opts); this._pe = null; this._ok = false; }
    create(type, opts) {
      if (type !== 'payment') throw new IntegrationError(`stripe-standin only implements the "payment" Element, not "${type}".`);
      if (this._pe) throw new IntegrationError('Can only create one Element of type payment.');
      return (this._pe = new PaymentElement(this, opts));
    }
    getElement(type) { return type === 'payment' ? this._pe : null; }
    update(opts) { Object.assign(this._opts, opts); if (this._pe) this._pe._appearance(); }
    fetchUpdates() { return Promise.resolve({}); }
    async submit() {
      const pe = this._pe;
      if (!pe || !pe._root) throw new IntegrationError('elements.submit(): no mounted Payment Element.');
      let first = null;
      for (const n in pe._in) { const e = pe._show(n); if (e && !first) first = [n, e]; }
      this._ok = !first;
      if (!first) return {selectedPaymentMethod: 'card'};
      pe._in[first[0]].focus();
      return {error: {type: 'validation_error', code: first[1][0], message: first[1][1]}};
    }
  }

  // 3-D Secure challenge: a modal <dialog> (Esc = fail). Resolves true/false.
  const challenge = () => new Promise(resolve => {
    css();
    const d = document.createElement('dialog'), back = document.activeElement;
    d.className = C + '-3ds';
    d.setAttribute('aria-labelledby', C + '-3ds-t');
    d.setAttribute('aria-describedby', C + '-3ds-d');
    d.innerHTML = `<h2 id="${C}-3ds-t">3D Secure authentication</h2><p id="${C}-3ds-d">Test mode: ` +
      'complete or fail the authentication of this payment.</p><div><button type="button" value="1">Complete ' +
      'authentication</button><button type="button" value="">Fail authentication</button></div>';
    let over = false;
    const done = ok => {
      if (over) return;
      over = true;
      d.close(); d.remove();
      if (back && back.focus) back.focus();
      resolve(ok);
    };
    d.addEventListener('click', e => { const b = e.target.closest('button'); if (b) done(!!b.value); });
    d.addEventListener('cancel', e => { e.preventDefault(); done(false); });
    document.body.append(d);
    d.showModal();
    d.querySelector('button').focus();
  });

  function Stripe(key) {
    if (typeof key !== 'string' || !key) throw new IntegrationError(`Invalid value for Stripe(): apiKey should be a string. You specified: ${key}.`);
    if (/^sk_/.test(key)) throw new IntegrationError('You should not use your secret key with Stripe.js. Please pass a publishable key instead.');
    const seen = {};
    const piId = (cs, fn) => {
      const m = /^(pi_[A-Za-z0-9]+)_secret_/.exec(cs || '');
      if (!m) throw new IntegrationError(`Invalid value for ${fn}: clientSecret should be a client secret of the form \${id}_secret_\${secret}. You specified: ${cs}.`);
      return m[1];
    };
    // A PaymentIntent back in requires_payment_method carries last_payment_error.
    const outcome = pi => {
      const e = pi.status === 'requires_payment_method' && pi.last_payment_error;
      return e ? {error: Object.assign({type: e.code === 'card_declined' ? 'card_error' : 'invalid_request_error'}, e, {payment_intent: pi})} : {paymentIntent: pi};
    };
    const get = (id, cs) => api('GET', `/v1/payment_intents/${id}`, {key, client_secret: cs});
    return {
      elements: opts => new Elements(opts),
      async createPaymentMethod(arg) {
        const els = arg && arg.elements;
        if (!(els instanceof Elements)) throw new IntegrationError('stripe-standin: createPaymentMethod supports only {elements, params}.');
        if (!els._ok) throw new IntegrationError('elements.submit() must be called before stripe.createPaymentMethod(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work.');
        const i = els._pe._in, x = digits(i.expiry.value);
        const bd = Object.assign({}, (arg.params || {}).billing_details);
        if (i.postal) bd.address = Object.assign({postal_code: i.postal.value.trim()}, bd.address);
        const card = {number: digits(i.number.value), exp_month: +x.slice(0, 2), exp_year: 2000 + +x.slice(2), cvc: i.cvc.value};
        let r = await api('POST', '/v1/payment_methods', {key, type: 'card', card, billing_details: bd});
        if (r.status === 401) { // vanilla localstripe: tokenize, use the card_... id
          r = await api('POST', '/v1/tokens', {key, card: Object.assign({address_zip: (bd.address || {}).postal_code, name: bd.name}, card)});
          const c = r.body.card;
          if (r.status === 200) r.body = {id: c.id, object: 'payment_method', type: 'card', created: c.created, livemode: false, billing_details: bd,
            card: {brand: c.brand.toLowerCase(), last4: c.last4, exp_month: c.exp_month, exp_year: c.exp_year, country: c.country, funding: c.funding}};
        }
        return r.status === 200 ? {paymentMethod: r.body} : {error: r.body.error || {type: 'api_error', message: `HTTP ${r.status}`}};
      },
      async handleNextAction(arg) {
        const cs = arg && arg.clientSecret, id = piId(cs, 'handleNextAction');
        const g = await get(id, cs);
        if (g.status === 200 && g.body.status !== 'requires_action') return outcome(seen[id] = g.body);
        const ok = await challenge();
        const r = await api('POST', `/v1/payment_intents/${id}/_authenticate?success=${ok}`, {key, client_secret: cs});
        return r.status === 200 ? outcome(seen[id] = r.body) : {error: r.body.error};
      },
      async retrievePaymentIntent(cs) {
        const id = piId(cs, 'retrievePaymentIntent'), g = await get(id, cs);
        if (g.status === 200) return {paymentIntent: g.body};
        if (g.status === 401 && seen[id]) return {paymentIntent: seen[id]};
        return {error: g.body.error || {type: 'api_error', message: `HTTP ${g.status}`}};
      },
    };
  }
  window.Stripe = Stripe;
})();
