/*
 * Service worker of fupin's offline phone apps (rendered by fupin/web/pwa.py): keeps the app's
 * pages, its static files and one API list on the phone, so that the page opens and can be filled
 * without a signal. It never touches a POST: unsent work is queued by the page.
 * The self-declaration app (/declare/, /track/, their manifest, the region lists) registers it for
 * those scopes only, so that officers' pages are not controlled; the cadre's visit page
 * (/pairing/my/, the cadre's households) uses it with its own cache name and lists.
 */
"use strict";

var PREFIX = "{{ cache_prefix }}";
var CACHE = PREFIX + "{{ version }}";
var PAGES = {{ pages_json|safe }};
var ASSETS = {{ assets_json|safe }};
var LIST = "{{ list_api }}";
var NETWORK_WAIT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) { return cache.addAll(PAGES.concat(ASSETS, [LIST])); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (key) {
          return key.indexOf(PREFIX) === 0 && key !== CACHE;
        }).map(function (key) { return caches.delete(key); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

// The network's answer when it comes in time, else the copy kept on the phone (then the network's).
function networkFirst(request, key, keep) {
  return caches.open(CACHE).then(function (cache) {
    var network = fetch(request).then(function (response) {
      // A redirect (to the login page, say) is not the page asked for: never keep it in its place.
      if (response.ok && !response.redirected && keep) cache.put(key, response.clone());
      return response;
    });
    var timer = new Promise(function (resolve) {
      setTimeout(function () {
        cache.match(key).then(function (kept) { if (kept) resolve(kept); });
      }, NETWORK_WAIT_MS);
    });
    return Promise.race([network, timer]).catch(function () {
      return cache.match(key).then(function (kept) { return kept || Response.error(); });
    });
  });
}

function cacheFirst(request, key) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(key).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok) cache.put(key, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (PAGES.indexOf(url.pathname) >= 0) {
    // /track/?code=… is answered by the server; offline, the bare page (with the phone's codes) stands in.
    event.respondWith(networkFirst(request, url.pathname, !url.search));
  } else if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(cacheFirst(request, url.pathname));
  } else if (url.pathname === LIST) {
    event.respondWith(networkFirst(request, url.pathname + url.search, true));
  }
});
