/*
 * The self-declaration app (/declare/) and its progress page (/track/).
 *
 * A declaration is first written to this phone (localStorage, QUEUE_KEY) with an idempotency key
 * made here, then POSTed to the API with that key in the Idempotency-Key header. Whatever happens
 * to the request (no signal, a timeout, a server error, an answer lost on the way back) it stays
 * queued and is sent again with the same key when the phone comes online, when the page is opened
 * or shown again, and every minute while the page is open; the server answers a known key with
 * the declaration it already has, so a retry never creates a second one. Only a 200/201 removes
 * it from the queue; the tracking code is then shown and kept on the phone (CODES_KEY).
 *
 * Plain ES5 with fetch and Promise, so that old phones' browsers run it. The strings this script
 * shows are Chinese literals: the app has no JavaScript catalogue (docs/decisions/0012).
 */
(function () {
  "use strict";

  var QUEUE_KEY = "fupin.declare.queue";
  var CODES_KEY = "fupin.declare.codes";
  var RETRY_MS = 60000;

  var STATUS = { open: "正在办理", included: "已纳入监测，将及时帮扶", rejected: "未纳入" };

  // A code as issued now (8 characters, monitoring/tracking.py) is shown as ABCD-EFGH.
  function grouped(code) {
    return /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/.test(code || "") ? code.slice(0, 4) + "-" + code.slice(4) : code;
  }

  // Shared with the visit page (web/offline.js, loaded first) --------------------------------------

  var offline = window.fupinOffline;
  var $ = offline.$;
  var show = offline.show;
  var load = offline.loadList;
  var save = offline.saveList;
  var uuid = offline.uuid;
  var shrink = offline.shrink;

  // Photos wait on the phone until their declaration has a code (same database as before the move).
  var photoStore = offline.photoStore("fupin-declare", "photos");

  function watchNetwork(onOnline) {
    offline.watchNetwork($("offline-banner"), onOnline);
  }

  // The region picker: county → town → village, each level loaded from the public region list ------

  function RegionPicker(root, api, hidden, labels) {
    this.root = root;
    this.api = api;
    this.hidden = hidden;
    this.labels = labels;
    this.choose = root.getAttribute("data-choose") || "请选择";
    this.fixed = document.createElement("div");
    this.fixed.className = "small text-secondary mb-1";
    this.levels = document.createElement("div");
    this.note = document.createElement("div");
    this.note.className = "small text-danger";
    root.appendChild(this.fixed);
    root.appendChild(this.levels);
    root.appendChild(this.note);
    this.fixedNames = [];
  }

  RegionPicker.prototype.start = function (wanted) {
    this.levels.innerHTML = "";
    this.fixedNames = [];
    this.fixed.textContent = "";
    this.hidden.value = "";
    return this.load("", wanted || "");
  };

  RegionPicker.prototype.load = function (parent, wanted) {
    var self = this;
    var url = this.api + (parent ? "?parent=" + encodeURIComponent(parent) : "");
    self.note.textContent = "";
    return fetch(url, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (regions) {
        if (!regions.length) return;
        var level = regions[0].level;
        // A single province or city above the counties is shown as text, not as a one-line select.
        if (regions.length === 1 && level < 6) {
          self.fixedNames.push(regions[0].name);
          self.fixed.textContent = self.fixedNames.join(" ");
          return self.load(regions[0].code, wanted);
        }
        var select = self.addSelect(level, regions);
        var pick = wanted ? regions.filter(function (r) { return wanted.indexOf(r.code.slice(0, r.level)) === 0; })[0] : null;
        if (pick) {
          select.value = pick.code;
          return self.picked(select, wanted);
        }
      })
      .catch(function () {
        self.note.textContent = "没有网络，暂时无法选择村。请有网络时再打开本页。";
      });
  };

  RegionPicker.prototype.addSelect = function (level, regions) {
    var self = this;
    var wrap = document.createElement("div");
    wrap.className = "region-level";
    var id = "region-" + level;
    var label = document.createElement("label");
    label.className = "form-label small mb-1";
    label.setAttribute("for", id);
    label.textContent = this.labels[String(level)] || "";
    var select = document.createElement("select");
    select.className = "form-select form-select-lg";
    select.id = id;
    select.setAttribute("data-level", String(level));
    var first = document.createElement("option");
    first.value = "";
    first.textContent = this.choose;
    select.appendChild(first);
    regions.forEach(function (region) {
      var option = document.createElement("option");
      option.value = region.code;
      option.textContent = region.name;
      option.setAttribute("data-level", String(region.level));
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      self.picked(select, "");
    });
    wrap.appendChild(label);
    wrap.appendChild(select);
    this.levels.appendChild(wrap);
    return select;
  };

  RegionPicker.prototype.picked = function (select, wanted) {
    var wrap = select.parentNode;
    while (wrap.nextSibling) this.levels.removeChild(wrap.nextSibling);
    this.hidden.value = "";
    var option = select.options[select.selectedIndex];
    if (!select.value) return Promise.resolve();
    if (option.getAttribute("data-level") === "12") {
      this.hidden.value = select.value;
      return Promise.resolve();
    }
    return this.load(select.value, wanted);
  };

  RegionPicker.prototype.label = function () {
    var names = this.fixedNames.slice();
    var selects = this.levels.querySelectorAll("select");
    for (var i = 0; i < selects.length; i++) {
      var option = selects[i].options[selects[i].selectedIndex];
      if (option && option.value) names.push(option.textContent);
    }
    return names.join(" ");
  };

  // The declaration form ----------------------------------------------------------------------------

  var ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

  // A typing check only, so that a mistake is caught while the phone is offline; the server decides.
  function idProblem(value) {
    if (!value) return "请填写身份证号码";
    if (value.length !== 18) return "身份证号码应为 18 位";
    if (!/^\d{17}[\dX]$/.test(value)) return "身份证号码格式不正确";
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += parseInt(value.charAt(i), 10) * ID_WEIGHTS[i];
    if ("10X98765432".charAt(sum % 11) !== value.charAt(17)) return "身份证号码有误，请逐位核对";
    return "";
  }

  function declareApp(app) {
    var form = $("declare-form");
    var api = app.getAttribute("data-api");
    var trackUrl = app.getAttribute("data-track");
    var labels = JSON.parse($("level-labels").textContent);
    var picker = new RegionPicker($("region-picker"), app.getAttribute("data-regions"), $("f-village"), labels);
    var flushing = false;
    var lastProblem = "";

    function field(name) {
      return form.elements.namedItem(name);
    }

    function read() {
      var risks = [];
      var boxes = form.querySelectorAll("input[name=risk_types]");
      for (var i = 0; i < boxes.length; i++) if (boxes[i].checked) risks.push(boxes[i].value);
      var size = field("household_size").value.trim();
      return {
        name: field("name").value.trim(),
        id_number: field("id_number").value.replace(/\s+/g, "").toUpperCase(),
        phone: field("phone").value.replace(/\s+/g, ""),
        village_code: $("f-village").value,
        household_size: /^\d+$/.test(size) ? parseInt(size, 10) : null,
        risk_types: risks,
        description: field("description").value.trim()
      };
    }

    function check(data) {
      var problems = {};
      if (!data.name) problems.name = "请填写姓名";
      var id = idProblem(data.id_number);
      if (id) problems.id_number = id;
      if (!/^1\d{10}$/.test(data.phone)) problems.phone = "请填写以 1 开头的 11 位手机号码";
      if (!data.village_code) problems.village_code = "请选择所在的村";
      if (data.household_size === null || data.household_size < 1 || data.household_size > 30) {
        problems.household_size = "家庭人口数应为 1 至 30";
      }
      if (!data.risk_types.length) problems.risk_types = "请至少选择一项困难";
      return problems;
    }

    function clearErrors() {
      var slots = form.querySelectorAll("[data-error-for]");
      for (var i = 0; i < slots.length; i++) slots[i].textContent = "";
      var invalid = form.querySelectorAll(".is-invalid");
      for (var j = 0; j < invalid.length; j++) invalid[j].classList.remove("is-invalid");
      $("form-error").textContent = "";
      show($("form-error"), false);
    }

    function showErrors(problems, general) {
      var first = null;
      Object.keys(problems).forEach(function (name) {
        var slot = form.querySelector('[data-error-for="' + name + '"]');
        if (!slot) {
          general = (general ? general + "；" : "") + problems[name];
          return;
        }
        slot.textContent = problems[name];
        var input = name === "village_code" ? picker.levels.querySelector("select") : field(name);
        if (input && input.classList) input.classList.add("is-invalid");
        if (!first) first = slot.parentNode;
      });
      if (general) {
        $("form-error").textContent = general;
        show($("form-error"), true);
        first = first || $("form-error");
      }
      if (first && first.scrollIntoView) first.scrollIntoView({ block: "center" });
    }

    function fill(data) {
      field("name").value = data.name || "";
      field("id_number").value = data.id_number || "";
      field("phone").value = data.phone || "";
      field("household_size").value = data.household_size || "";
      field("description").value = data.description || "";
      var boxes = form.querySelectorAll("input[name=risk_types]");
      for (var i = 0; i < boxes.length; i++) {
        boxes[i].checked = (data.risk_types || []).indexOf(boxes[i].value) >= 0;
      }
      return picker.start(data.village_code);
    }

    function clearPerson() {
      ["name", "id_number", "phone", "household_size", "description"].forEach(function (name) {
        field(name).value = "";
      });
      var boxes = form.querySelectorAll("input[name=risk_types]");
      for (var i = 0; i < boxes.length; i++) boxes[i].checked = false;
    }

    function state(name) {
      show(form, name === "form");
      show($("done"), name === "done");
      renderQueue();
    }

    function renderQueue() {
      var queue = load(QUEUE_KEY);
      var box = $("queue-status");
      show(box, queue.length > 0);
      if (!queue.length) return;
      $("queue-text").textContent =
        "有 " + queue.length + " 份申报保存在这部手机上，还没有发出去。" +
        "有网络时会自动发送，发送成功后显示查询码，请不要重复填写。" +
        (lastProblem ? "（" + lastProblem + "）" : "");
    }

    function remember(body, item) {
      var codes = load(CODES_KEY);
      if (!codes.some(function (c) { return c.code === body.tracking_code; })) {
        codes.unshift({ code: body.tracking_code, at: body.submitted_at || item.at, village: body.village_name || item.village });
        save(CODES_KEY, codes.slice(0, 20));
      }
    }

    function keepPhotos(key) {
      var input = $("f-photos");
      var files = input && input.files ? Array.prototype.slice.call(input.files) : [];
      var limit = parseInt((input && input.getAttribute("data-limit")) || "0", 10);
      if (input) input.value = "";
      if (!files.length) return Promise.resolve();
      return Promise.all(files.slice(0, limit).map(shrink)).then(function (blobs) {
        return photoStore.put({ key: key, code: "", blobs: blobs, sent: 0 });
      }).catch(function () { /* no IndexedDB: the declaration still goes, without photos */ });
    }

    function sendPhotos(record) {
      if (record.sent >= record.blobs.length) return photoStore.delete(record.key);
      var index = record.sent;
      var body = new FormData();
      body.append("file", record.blobs[index], "photo-" + index + ".jpg");
      return fetch(api + "/" + encodeURIComponent(record.code) + "/photos", {
        method: "POST",
        credentials: "omit",
        cache: "no-store",
        headers: { "Idempotency-Key": record.key + ":photo:" + index },
        body: body
      }).then(function (response) {
        // Taken, or never to be taken (a bad file, over the limit): either way this photo is done.
        if (response.status === 200 || response.status === 201 || response.status === 409 || response.status === 422) {
          record.sent = index + 1;
          return photoStore.put(record).then(function () { return sendPhotos(record); });
        }
        throw new Error("retry later");
      });
    }

    function flushPhotos() {
      return photoStore.all().then(function (records) {
        return records.filter(function (r) { return r.code; }).reduce(function (done, record) {
          return done.then(function () { return sendPhotos(record); });
        }, Promise.resolve());
      }).catch(function () { /* offline or no IndexedDB: retried with the next flush */ });
    }

    function photosFollow(key, code) {
      return photoStore.get(key).then(function (record) {
        if (!record) return undefined;
        record.code = code;
        return photoStore.put(record);
      }).then(flushPhotos, function () {});
    }

    function remove(key) {
      save(QUEUE_KEY, load(QUEUE_KEY).filter(function (item) { return item.key !== key; }));
    }

    function showDone(body) {
      var shown = body.tracking_code_display || grouped(body.tracking_code);
      $("tracking-code").textContent = shown;
      // The server draws the QR code of the progress page (an SVG of its own making, not user text).
      $("tracking-qr").innerHTML = body.tracking_qr_svg || "";
      $("track-link").setAttribute("href", trackUrl + "?code=" + encodeURIComponent(shown));
      state("done");
    }

    function send(item) {
      return fetch(api, {
        method: "POST",
        credentials: "omit",
        cache: "no-store",
        headers: {
          "Content-Type": "application/json",
          "Accept": "application/json",
          "Idempotency-Key": item.key
        },
        body: JSON.stringify(item.payload)
      }).then(
        function (response) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            if (response.status === 200 || response.status === 201) {
              remove(item.key);
              remember(body, item);
              lastProblem = "";
              showDone(body);
              return photosFollow(item.key, body.tracking_code).then(function () { return "sent"; });
            }
            var error = (body && body.error) || {};
            if (response.status === 422) {
              // The server will never take it as it is: back to the form, with its messages.
              remove(item.key);
              state("form");
              fill(item.payload).then(function () {
                showErrors((error.details && error.details.fields) || {}, error.message || "请检查填写的内容");
              });
              return "invalid";
            }
            lastProblem = response.status === 429
              ? "提交过于频繁，稍后会自动重试"
              : "服务器暂时无法接收，稍后会自动重试";
            return "retry";
          });
        },
        function () {
          lastProblem = "";
          return "retry";
        }
      );
    }

    function flush() {
      if (flushing || !load(QUEUE_KEY).length) {
        renderQueue();
        return flushing ? Promise.resolve() : flushPhotos();
      }
      flushing = true;
      function next() {
        var queue = load(QUEUE_KEY);
        if (!queue.length) return Promise.resolve();
        return send(queue[0]).then(function (outcome) {
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
      var data = read();
      var problems = check(data);
      if (Object.keys(problems).length) {
        showErrors(problems);
        return;
      }
      var queue = load(QUEUE_KEY);
      var item = { key: uuid(), payload: data, at: new Date().toISOString(), village: picker.label() };
      queue.push(item);
      if (!save(QUEUE_KEY, queue)) {
        showErrors({}, "手机存储空间不足，无法保存申报，请清理后再试");
        return;
      }
      clearPerson();
      state("queued");
      keepPhotos(item.key).then(flush);
    });

    $("retry-now").addEventListener("click", function () {
      flush();
    });
    $("declare-another").addEventListener("click", function () {
      clearErrors();
      state("form");
    });
    $("declare-again").addEventListener("click", function () {
      clearErrors();
      state("form");
      window.scrollTo(0, 0);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") flush();
    });
    window.setInterval(flush, RETRY_MS);
    watchNetwork(flush);

    picker.start("");
    state(load(QUEUE_KEY).length ? "queued" : "form");
    flush();

    // For the browser tests and for support staff helping a resident.
    window.fupinDeclare = {
      queued: function () { return load(QUEUE_KEY); },
      codes: function () { return load(CODES_KEY); },
      photos: photoStore.all,
      flush: flush
    };
  }

  // The progress page -------------------------------------------------------------------------------

  function trackApp(app) {
    var api = app.getAttribute("data-api");
    var list = $("remembered-list");
    var codes = load(CODES_KEY);

    function line(label, value) {
      var row = document.createElement("div");
      var name = document.createElement("span");
      name.className = "text-secondary small";
      name.textContent = label + "：";
      row.appendChild(name);
      row.appendChild(document.createTextNode(value));
      return row;
    }

    function refresh(item, box) {
      var status = box.querySelector("[data-status]");
      status.textContent = "正在查询……";
      return fetch(api + "/" + encodeURIComponent(item.code), { credentials: "omit", cache: "no-store" })
        .then(function (response) {
          if (response.status === 404) throw new Error("not_found");
          if (response.status === 429) throw new Error("too_many");
          if (!response.ok) throw new Error("server");
          return response.json();
        })
        .then(function (data) {
          status.textContent = STATUS[data.status] || data.status;
          box.setAttribute("data-state", data.status);
          var details = box.querySelector("[data-details]");
          details.innerHTML = "";
          if (data.status === "open") {
            details.appendChild(line("当前环节", data.stage_label));
            if (data.due_date) details.appendChild(line("本环节办理期限", data.due_date));
          }
          if (data.reason) details.appendChild(line("原因", data.reason));
        })
        .catch(function (error) {
          status.textContent = error.message === "not_found"
            ? "没有找到这个查询码"
            : error.message === "too_many"
              ? "查询次数过多，请一小时后再试"
              : "没有网络，暂时查不到最新进度";
        });
    }

    function render() {
      list.innerHTML = "";
      show($("remembered"), codes.length > 0);
      codes.forEach(function (item) {
        var box = document.createElement("div");
        box.className = "remembered-item";
        box.setAttribute("data-code", item.code);
        var code = document.createElement("a");
        code.className = "font-monospace fw-bold";
        code.href = "?code=" + encodeURIComponent(item.code);
        code.textContent = grouped(item.code);
        var meta = document.createElement("div");
        meta.className = "small text-secondary";
        meta.textContent = (item.at ? String(item.at).slice(0, 10) : "") + (item.village ? " · " + item.village : "");
        var status = document.createElement("div");
        status.className = "fw-semibold";
        status.setAttribute("data-status", "");
        var details = document.createElement("div");
        details.setAttribute("data-details", "");
        box.appendChild(code);
        box.appendChild(meta);
        box.appendChild(status);
        box.appendChild(details);
        list.appendChild(box);
        refresh(item, box);
      });
    }

    watchNetwork(render);
    render();
  }

  offline.registerWorker(document.body.getAttribute("data-sw"), document.body.getAttribute("data-sw-scope"));
  if ($("declare-app")) declareApp($("declare-app"));
  if ($("track-app")) trackApp($("track-app"));
})();
