/*
 * The cadre's visit page (/pairing/my/): my households and the visit form, for a phone with a poor signal.
 *
 * Works as the self-declaration app does (monitoring/declare.js, docs/decisions/0012): a visit is
 * first written to this phone (localStorage, QUEUE_KEY) with an idempotency key made here, then
 * POSTed to /api/v1/pairing/visits with that key in the Idempotency-Key header; it is sent again
 * with the same key when the phone comes online, when the page is shown again and every minute,
 * and only a 200/201 (or a refusal that no retry can change) takes it off the queue. Photos wait in
 * IndexedDB and follow once the visit has its id, each with its own key. The page itself and this
 * script are kept on the phone by the service worker (web's sw.js, its own cache).
 *
 * Plain ES5 with fetch and Promise; Chinese literals (no JavaScript catalogue, as in declare.js).
 */
(function () {
  "use strict";

  var QUEUE_KEY = "fupin.visits.queue";
  var RETRY_MS = 60000;

  // Shared with the declaration app (web/offline.js, loaded first).
  var offline = window.fupinOffline;
  var $ = offline.$;
  var show = offline.show;
  var uuid = offline.uuid;
  var shrink = offline.shrink;
  // Photos wait on the phone until their visit has its id (same database as before the move).
  var photoStore = offline.photoStore("fupin-visits", "photos");

  function load() { return offline.loadList(QUEUE_KEY); }
  function save(value) { return offline.saveList(QUEUE_KEY, value); }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // "YYYY-MM-DDTHH:MM" of a date in the phone's time, as a datetime-local input shows it.
  function localValue(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  // The input's local time with the phone's offset, so the server knows the instant.
  function isoWithOffset(value) {
    var date = new Date(value);
    if (isNaN(date.getTime())) return null;
    var offset = -date.getTimezoneOffset();
    var sign = offset >= 0 ? "+" : "-";
    offset = Math.abs(offset);
    return value + ":00" + sign + pad(Math.floor(offset / 60)) + ":" + pad(offset % 60);
  }

  // The page ----------------------------------------------------------------------------------------

  function visitApp(app) {
    var api = app.getAttribute("data-api");
    var form = $("visit-form");
    var flushing = false;
    var lastProblem = "";
    var location = null;

    function field(name) { return form.elements[name]; }

    function clearErrors() {
      show($("form-error"), false);
      var boxes = form.querySelectorAll("[data-error-for]");
      for (var i = 0; i < boxes.length; i++) boxes[i].textContent = "";
    }

    function showErrors(fields, message) {
      var shown = false;
      Object.keys(fields || {}).forEach(function (name) {
        var box = form.querySelector('[data-error-for="' + name + '"]');
        if (box) { box.textContent = fields[name]; shown = true; }
      });
      if (message || !shown) {
        $("form-error").textContent = message || "请检查填写的内容";
        show($("form-error"), true);
      }
    }

    function read() {
      return {
        household_no: field("household_no").value,
        visited_at: isoWithOffset(field("visited_at").value),
        latitude: location ? location.latitude : null,
        longitude: location ? location.longitude : null,
        found: field("found").value.trim(),
        done: field("done").value.trim(),
        problems: field("problems").value.trim(),
        problems_solved: field("problems_solved").checked
      };
    }

    function check(data) {
      var problems = {};
      if (!data.household_no) problems.household_no = "请选择走访的农户";
      if (!data.visited_at) problems.visited_at = "请填写走访时间";
      if (!data.found && !data.done && !data.problems) problems.found = "请至少填写了解到的情况、开展的帮扶或反映的问题之一";
      return problems;
    }

    function reset() {
      ["found", "done", "problems"].forEach(function (name) { field(name).value = ""; });
      field("problems_solved").checked = false;
      field("visited_at").value = localValue(new Date());
      location = null;
      $("v-location").textContent = "";
    }

    function option(householdNo) {
      return field("household_no").querySelector('option[value="' + householdNo + '"]');
    }

    function label(householdNo) {
      var found = option(householdNo);
      return found ? found.textContent : householdNo;
    }

    // The head's name, as the server's list shows it.
    function head(householdNo) {
      var found = option(householdNo);
      return (found && found.getAttribute("data-head")) || householdNo;
    }

    // Ask for the page again so that the copy the service worker keeps lists the visit just sent
    // (a reload on a slow signal is answered from that copy).
    function refreshKeptPage() {
      if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
      fetch(window.location.pathname, { credentials: "same-origin", cache: "no-store" })
        .catch(function () { /* offline again: the next send refreshes it */ });
    }

    function renderQueue() {
      var queue = load();
      show($("queue-status"), queue.length > 0);
      if (queue.length) {
        $("queue-text").textContent = "有 " + queue.length + " 条走访记录保存在这部手机上，还没有发出去。" +
          "有网络时会自动发送，请不要重复登记。" + (lastProblem ? "（" + lastProblem + "）" : "");
      }
      var list = $("recent-list");
      var pending = list.querySelectorAll("[data-queued]");
      for (var i = 0; i < pending.length; i++) list.removeChild(pending[i]);
      queue.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-warning";
        li.setAttribute("data-queued", item.key);
        li.textContent = String(item.payload.visited_at || "").slice(0, 16).replace("T", " ") + " · " +
          head(item.payload.household_no) + " · 待发送";
        list.insertBefore(li, list.firstChild);
      });
      show($("recent-empty"), !list.querySelector("li:not(#recent-empty)"));
    }

    function markSent(item, body) {
      var row = document.querySelector('[data-household="' + item.payload.household_no + '"]');
      var day = String(item.payload.visited_at).slice(0, 10); // the phone's local date
      if (row) {
        var last = row.querySelector("[data-last-visit]");
        if (last && (!/^\d{4}-/.test(last.textContent) || last.textContent < day)) last.textContent = day;
        var badge = row.querySelector("[data-overdue]");
        if (badge) {
          badge.parentNode.removeChild(badge);
          var left = document.querySelectorAll("#my-households [data-overdue]").length;
          var count = $("overdue-count");
          if (count) {
            count.textContent = left + " 户逾期未访";
            show(count, left > 0);
          }
        }
      }
      var li = document.createElement("li");
      li.className = "list-group-item";
      li.setAttribute("data-visit-id", body.id);
      li.textContent = String(item.payload.visited_at).slice(0, 16).replace("T", " ") + " · " +
        head(item.payload.household_no) + " · 已发送";
      $("recent-list").insertBefore(li, $("recent-list").firstChild);
      var empty = $("recent-empty");
      if (empty) show(empty, false);
      refreshKeptPage();
      var done = $("visit-done");
      done.textContent = "走访记录已发送：" + label(item.payload.household_no);
      show(done, true);
    }

    function keepPhotos(key) {
      var input = $("v-photos");
      var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
      var limit = parseInt(app.getAttribute("data-photo-limit") || "0", 10);
      if (input) input.value = "";
      if (!files.length) return Promise.resolve();
      return Promise.all(files.slice(0, limit).map(shrink)).then(function (blobs) {
        return photoStore.put({ key: key, visit: 0, blobs: blobs, sent: 0 });
      }).catch(function () { /* no IndexedDB: the visit still goes, without photos */ });
    }

    function sendPhotos(record) {
      if (record.sent >= record.blobs.length) return photoStore.delete(record.key);
      var index = record.sent;
      var body = new FormData();
      body.append("file", record.blobs[index], "photo-" + index + ".jpg");
      return fetch(api + "/" + record.visit + "/photos", {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Idempotency-Key": record.key + ":photo:" + index, "X-CSRFToken": csrfToken() },
        body: body
      }).then(function (response) {
        if ([200, 201, 403, 404, 409, 422].indexOf(response.status) >= 0) {
          record.sent = index + 1;
          return photoStore.put(record).then(function () { return sendPhotos(record); });
        }
        throw new Error("retry later");
      });
    }

    function flushPhotos() {
      return photoStore.all().then(function (records) {
        return records.filter(function (r) { return r.visit; }).reduce(function (done, record) {
          return done.then(function () { return sendPhotos(record); });
        }, Promise.resolve());
      }).catch(function () { /* offline or no IndexedDB: retried with the next flush */ });
    }

    function photosFollow(key, visitId) {
      return photoStore.get(key).then(function (record) {
        if (!record) return undefined;
        record.visit = visitId;
        return photoStore.put(record);
      }).then(flushPhotos, function () {});
    }

    function remove(key) {
      save(load().filter(function (item) { return item.key !== key; }));
    }

    function send(item) {
      return fetch(api, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "Idempotency-Key": item.key,
          "X-CSRFToken": csrfToken()
        },
        body: JSON.stringify(item.payload)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.status === 200 || response.status === 201) {
            remove(item.key);
            lastProblem = "";
            markSent(item, body);
            return photosFollow(item.key, body.id).then(function () { return "sent"; });
          }
          var error = (body && body.error) || {};
          if (response.status === 422 || response.status === 403 || response.status === 404 || response.status === 409) {
            // The server will never take it as it is: back to the form, with its messages.
            remove(item.key);
            showErrors((error.details && error.details.fields) || {}, error.message || "请检查填写的内容");
            return "refused";
          }
          lastProblem = response.status === 401
            ? "登录已过期，请重新登录后发送"
            : "服务器暂时无法接收，稍后会自动重试";
          return "retry";
        });
      }, function () {
        lastProblem = "";
        return "retry";
      });
    }

    function flush() {
      if (flushing || !load().length) {
        renderQueue();
        return flushing ? Promise.resolve() : flushPhotos();
      }
      flushing = true;
      function next() {
        var queue = load();
        if (!queue.length) return Promise.resolve();
        return send(queue[0]).then(function (outcome) {
          renderQueue();
          if (outcome !== "retry") return next();
        });
      }
      return next().then(
        function () { flushing = false; renderQueue(); },
        function () { flushing = false; renderQueue(); }
      );
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors();
      show($("visit-done"), false);
      var data = read();
      var problems = check(data);
      if (Object.keys(problems).length) { showErrors(problems); return; }
      var queue = load();
      var item = { key: uuid(), payload: data, at: new Date().toISOString() };
      queue.push(item);
      if (!save(queue)) { showErrors({}, "手机存储空间不足，无法保存走访记录，请清理后再试"); return; }
      reset();
      renderQueue();
      keepPhotos(item.key).then(flush);
    });

    $("v-locate").addEventListener("click", function () {
      var box = $("v-location");
      if (!navigator.geolocation) { box.textContent = "这部手机不能提供位置"; return; }
      box.textContent = "正在获取位置……";
      navigator.geolocation.getCurrentPosition(function (position) {
        location = {
          latitude: Math.round(position.coords.latitude * 1e6) / 1e6,
          longitude: Math.round(position.coords.longitude * 1e6) / 1e6
        };
        box.textContent = "位置：" + location.latitude + ", " + location.longitude;
      }, function () {
        location = null;
        box.textContent = "未能获取位置（未允许或没有信号），可以不填";
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });

    var buttons = document.querySelectorAll("[data-visit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (event) {
        field("household_no").value = event.currentTarget.getAttribute("data-visit");
        $("visit-card").scrollIntoView({ block: "start" });
        field("found").focus();
      });
    }
    $("retry-now").addEventListener("click", function () { flush(); });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") flush();
    });
    offline.watchNetwork($("offline-banner"), flush);
    window.setInterval(flush, RETRY_MS);

    field("visited_at").value = localValue(new Date());
    renderQueue();
    flush();

    // For the browser tests and for support staff.
    window.fupinVisits = { queued: load, photos: photoStore.all, flush: flush };
  }

  var app = $("visit-app");
  if (app) {
    offline.registerWorker(app.getAttribute("data-sw"), app.getAttribute("data-sw-scope"));
    if ($("visit-form")) visitApp(app);
  }
})();
