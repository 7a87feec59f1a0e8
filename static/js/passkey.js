// Passkeys (WebAuthn) for InfoPatient's pages. No inline script: each form
// says what it does in data- attributes, the server sends the options as
// JSON and receives the browser's answer in an ordinary form post, so that
// a refusal comes back as a page in the user's language.
//
//   <form data-passkey="signin|verify|link|register" data-options="URL"
//         action="URL" method="post">
//     <input type="hidden" name="_csrf"> <input type="hidden" name="credential">
//     <button data-passkey-start>…</button>
//     <p data-passkey-status data-msg-unsupported="…" data-msg-failed="…"></p>
//   </form>
//
// A "signin" form with data-conditional also offers the passkeys in the
// login field's autofill (conditional UI) where the browser can.
(function () {
  "use strict";
  if (window.infopatientPasskeys) return; // loaded once per page
  window.infopatientPasskeys = true;

  function toBytes(b64url) {
    var s = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64url(buf) {
    if (!buf) return undefined;
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function decodeOptions(o) {
    var pk = o.publicKey;
    pk.challenge = toBytes(pk.challenge);
    if (pk.user) pk.user.id = toBytes(pk.user.id);
    ["excludeCredentials", "allowCredentials"].forEach(function (k) {
      (pk[k] || []).forEach(function (c) { c.id = toBytes(c.id); });
    });
    return pk;
  }

  function encodeCredential(c) {
    var r = c.response, out = {
      id: c.id, rawId: toB64url(c.rawId), type: c.type,
      authenticatorAttachment: c.authenticatorAttachment || undefined,
      clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64url(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = toB64url(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = toB64url(r.authenticatorData);
      out.response.signature = toB64url(r.signature);
      out.response.userHandle = toB64url(r.userHandle);
    }
    return JSON.stringify(out);
  }

  function say(form, key) {
    var status = form.querySelector("[data-passkey-status]");
    if (!status) return;
    status.textContent = status.getAttribute("data-msg-" + key) || "";
    status.hidden = status.textContent === "";
  }

  // optionsInFlight is the page's options request on its way, if any: its
  // answer may start the session (the login page's autofill does), and a
  // form sent meanwhile would carry the page's old token and cookie, then
  // see its own session replaced by that late answer's. Forms wait for it,
  // up to optionsPatience; then it is abandoned, so that no answer lands
  // after them.
  var optionsInFlight = null; // {settled: Promise, abort: function}
  var optionsPatience = 4000; // ms

  function fetchOptions(form) {
    var controller = new AbortController();
    var pending = requestOptions(form, controller.signal);
    var entry = { abort: function () { controller.abort(); } };
    var done = function () { if (optionsInFlight === entry) optionsInFlight = null; };
    entry.settled = pending.then(done, done);
    optionsInFlight = entry;
    return pending;
  }

  function requestOptions(form, signal) {
    var body = new URLSearchParams();
    body.set("_csrf", form.elements._csrf.value);
    if (form.elements.name) body.set("name", form.elements.name.value);
    return fetch(form.getAttribute("data-options"), {
      method: "POST", body: body, credentials: "same-origin", signal: signal,
      headers: { "Accept": "application/json" }
    }).then(function (res) {
      if (!res.ok) throw new Error("options " + res.status);
      // A first ceremony may start the session, to which CSRF tokens are
      // bound: every form of the page takes the new token.
      var token = res.headers.get("X-CSRF-Token");
      if (token) {
        var fields = document.querySelectorAll('input[name="_csrf"]');
        for (var i = 0; i < fields.length; i++) fields[i].value = token;
      }
      return res.json();
    });
  }

  // ceremony runs create or get and posts the answer with the form.
  function ceremony(form, mediation, signal) {
    var kind = form.getAttribute("data-passkey");
    return fetchOptions(form).then(function (o) {
      var req = { signal: signal };
      if (kind === "register") {
        req.publicKey = decodeOptions(o);
        return navigator.credentials.create(req);
      }
      req.publicKey = decodeOptions(o);
      if (mediation) req.mediation = mediation;
      return navigator.credentials.get(req);
    }).then(function (cred) {
      if (!cred) return;
      form.elements.credential.value = encodeCredential(cred);
      form.setAttribute("data-passkey-done", "");
      form.submit();
    });
  }

  var conditional = null; // the pending autofill request, aborted by a click

  function start(form) {
    if (conditional) { conditional.abort(); conditional = null; }
    say(form, "");
    var button = form.querySelector("[data-passkey-start]");
    if (button) button.disabled = true;
    ceremony(form, null, undefined).catch(function (err) {
      if (button) button.disabled = false;
      say(form, err && err.name === "NotAllowedError" ? "cancelled" : "failed");
    });
  }

  function offerAutofill(form) {
    if (!PublicKeyCredential.isConditionalMediationAvailable) return;
    PublicKeyCredential.isConditionalMediationAvailable().then(function (ok) {
      if (!ok) return;
      conditional = new AbortController();
      ceremony(form, "conditional", conditional.signal).catch(function () { /* aborted or dismissed */ });
    });
  }

  // holdWhileOptionsInFlight sends a form only once the options request
  // has been answered (and the page's tokens renewed) or abandoned, as its
  // submitter.
  function holdWhileOptionsInFlight(e) {
    var waiting = optionsInFlight;
    if (!waiting) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    var form = e.target, submitter = e.submitter;
    var timer = setTimeout(waiting.abort, optionsPatience);
    waiting.settled.then(function () {
      clearTimeout(timer);
      if (!form.requestSubmit) form.submit(); // Safari before 16: without its submitter
      else if (submitter && submitter.form === form) form.requestSubmit(submitter);
      else form.requestSubmit();
    });
  }

  function init() {
    document.addEventListener("submit", holdWhileOptionsInFlight, true);
    var forms = document.querySelectorAll("form[data-passkey]");
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      var status = form.querySelector("[data-passkey-status]");
      var origin = status && status.getAttribute("data-origin");
      if (origin && origin !== window.location.origin) {
        // Passkeys are bound to one address (a demo opened at 127.0.0.1
        // works at localhost only).
        say(form, "address");
        var a = form.querySelector("[data-passkey-start]");
        if (a) a.disabled = true;
        continue;
      }
      if (!window.PublicKeyCredential || !navigator.credentials) {
        say(form, "unsupported");
        var b = form.querySelector("[data-passkey-start]");
        if (b) b.disabled = true;
        continue;
      }
      form.addEventListener("submit", function (e) {
        if (this.hasAttribute("data-passkey-done")) return;
        e.preventDefault();
        start(this);
      });
      if (form.hasAttribute("data-conditional")) offerAutofill(form);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
