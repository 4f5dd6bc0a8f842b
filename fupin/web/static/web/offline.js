/*
 * What fupin's offline phone apps share: the self-declaration app (monitoring/declare.js, /declare/
 * and /track/) and the cadre's visit page (pairing/visit.js, /pairing/my/).
 *
 * window.fupinOffline holds the pieces both need to keep work on a phone with a poor signal:
 * idempotency keys (uuid), lists kept in localStorage (loadList/saveList), photos waiting in
 * IndexedDB (photoStore), their downscaling (shrink), the service worker's registration and the
 * offline banner. Each app keeps its own names (storage keys, database, worker URL and scope), so
 * what a phone has already queued stays where the app looks for it.
 *
 * Loaded with defer before the app's script; the service workers keep it on the phone with the
 * app (APP_STATIC in monitoring/views.py, VISIT_APP_STATIC in pairing/views.py).
 * Plain ES5 with Promise, so that old phones' browsers run it.
 */
(function () {
  "use strict";

  function $(id) {
    return document.getElementById(id);
  }

  function show(element, visible) {
    if (element) element.classList.toggle("d-none", !visible);
  }

  // A list kept on the phone under key; anything unreadable counts as empty.
  function loadList(key) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "[]");
      return Array.isArray(value) ? value : [];
    } catch (e) {
      return [];
    }
  }

  // False when the phone refuses (storage full, private mode), so the app can say so.
  function saveList(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false;
    }
  }

  function uuid() {
    var c = window.crypto || window.msCrypto;
    if (c && typeof c.randomUUID === "function") {
      try {
        return c.randomUUID(); // secure contexts only (HTTPS or localhost)
      } catch (e) { /* fall through */ }
    }
    var bytes = new Uint8Array(16);
    if (c && typeof c.getRandomValues === "function") {
      c.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = "";
    for (var j = 0; j < 16; j++) hex += (bytes[j] + 0x100).toString(16).slice(1);
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  // Photos wait on the phone in IndexedDB (blobs do not fit localStorage) until their record has
  // its id on the server. Records are keyed by their "key" field; every call opens the database
  // afresh, so a page that was in the background for hours never holds a stale connection.
  function photoStore(dbName, storeName) {
    function run(mode, work) {
      return new Promise(function (resolve, reject) {
        if (!window.indexedDB) return reject(new Error("no IndexedDB"));
        var open = window.indexedDB.open(dbName, 1);
        open.onupgradeneeded = function () { open.result.createObjectStore(storeName, { keyPath: "key" }); };
        open.onerror = function () { reject(open.error); };
        open.onsuccess = function () {
          var tx = open.result.transaction(storeName, mode);
          var request = work(tx.objectStore(storeName));
          tx.oncomplete = function () { resolve(request ? request.result : undefined); };
          tx.onerror = function () { reject(tx.error); };
        };
      });
    }

    return {
      put: function (record) { return run("readwrite", function (s) { return s.put(record); }); },
      get: function (key) { return run("readonly", function (s) { return s.get(key); }); },
      all: function () { return run("readonly", function (s) { return s.getAll(); }); },
      delete: function (key) { return run("readwrite", function (s) { return s.delete(key); }); }
    };
  }

  // A phone photo is often several MB: send at most 1600 px on the long side, as JPEG.
  function shrink(file) {
    return new Promise(function (resolve) {
      if (!window.createImageBitmap) return resolve(file);
      window.createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.max(1, Math.round(bitmap.width * scale));
        canvas.height = Math.max(1, Math.round(bitmap.height * scale));
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      }, function () { resolve(file); });
    });
  }

  function registerWorker(url, scope) {
    if (!("serviceWorker" in navigator) || !url) return;
    navigator.serviceWorker
      .register(url, { scope: scope })
      .catch(function () { /* plain HTTP or an old browser: the page still works online */ });
  }

  // Show banner while the phone is offline; call onOnline when the signal comes back.
  function watchNetwork(banner, onOnline) {
    function update() {
      show(banner, navigator.onLine === false);
    }
    window.addEventListener("offline", update);
    window.addEventListener("online", function () {
      update();
      if (onOnline) onOnline();
    });
    update();
  }

  window.fupinOffline = {
    $: $,
    show: show,
    loadList: loadList,
    saveList: saveList,
    uuid: uuid,
    photoStore: photoStore,
    shrink: shrink,
    registerWorker: registerWorker,
    watchNetwork: watchNetwork
  };
})();
