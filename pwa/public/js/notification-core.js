// What a push message shows: a pure function shared by the service worker
// (through importScripts, so the worker stays a classic script every browser
// runs) and testable in a page. It has its own few words in each language
// because a worker cannot load the app's ES-module string tables.
(function (scope) {
  'use strict';

  var WORDS = {
    en: {
      accept: 'Accept',
      pass: 'Pass',
      title: 'Helpforce',
      taken: 'Taken by a colleague',
      takenBody: 'Someone else is helping this customer.',
    },
    fr: {
      accept: 'Accepter',
      pass: 'Passer',
      title: 'Helpforce',
      taken: 'Pris par un collègue',
      takenBody: 'Quelqu’un d’autre s’occupe de ce client.',
    },
  };

  var ACTIONS = ['accept', 'pass'];

  function text(value) {
    return typeof value === 'string' ? value.trim() : '';
  }

  // Only paths of this app: a push must never send someone to another site.
  function safeURL(value) {
    var url = text(value);
    if (url.charAt(0) === '/' && url.charAt(1) !== '/' && url.charAt(1) !== '\\') return url;
    return '/';
  }

  function defaultTag(p) {
    if (p.request_id) return 'request-' + p.request_id;
    if (p.hold_id) return 'hold-' + p.hold_id;
    return 'helpforce';
  }

  /**
   * buildNotification(payload, lang) → {title, options} for showNotification.
   * The tag groups alerts about one request, so "withdrawn" replaces the offer.
   */
  function buildNotification(payload, lang) {
    var p = payload && typeof payload === 'object' ? payload : {};
    var w = WORDS[lang] || WORDS.en;
    var type = text(p.type);
    var withdrawn = type === 'withdrawn';
    var title = text(p.title) || (withdrawn ? w.taken : w.title);
    var body = text(p.body) || (withdrawn ? w.takenBody : '');
    var options = {
      body: body,
      tag: text(p.tag) || defaultTag(p),
      lang: WORDS[lang] ? lang : 'en',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: safeURL(p.url), request_id: p.request_id || null, type: type },
      // A new offer or escalation must ring again even when it replaces one.
      renotify: type === 'help_request' || type === 'escalation',
      // An escalation waits for the manager's acknowledgement.
      requireInteraction: type === 'escalation',
      silent: withdrawn,
    };
    if (Array.isArray(p.actions) && !withdrawn) {
      var actions = [];
      for (var i = 0; i < p.actions.length; i++) {
        if (ACTIONS.indexOf(p.actions[i]) >= 0) actions.push({ action: p.actions[i], title: w[p.actions[i]] });
      }
      if (actions.length) options.actions = actions;
    }
    return { title: title, options: options };
  }

  scope.buildNotification = buildNotification;
})(self);
