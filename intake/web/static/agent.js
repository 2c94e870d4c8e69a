// The agent's case page: quick check of each photo, upload with progress, live status.
// Plain JS, no build step, no CDN.
(function () {
  "use strict";
  var box = document.getElementById("upload");
  var list = document.getElementById("checks");
  var caseId = box ? box.getAttribute("data-case") : null;
  var queue = [];
  var running = false;
  var pollTimer = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function quickCheck(file) {
    var fd = new FormData();
    fd.append("file", file, file.name);
    return fetch("/agent/quick-check", {method: "POST", body: fd, credentials: "same-origin",
                                         headers: {"Accept": "application/json", "X-CSRF-Token": csrf}})
      .then(function (r) {
        return r.json().catch(function () { return {error: "检查失败"}; }).then(function (body) {
          if (!r.ok) throw new Error(body.error || body.detail || "检查失败");
          return body;
        });
      });
  }

  function upload(file, item) {
    return new Promise(function (resolve) {
      var bar = el("progress", "bar");
      bar.max = 100; bar.value = 0;
      var note = item.querySelector(".upstate");
      note.textContent = "正在上传…";
      item.appendChild(bar);
      var fd = new FormData();
      fd.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/agent/cases/" + caseId + "/documents");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round(100 * e.loaded / e.total);
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        if (xhr.status === 201) {
          bar.value = 100;
          note.textContent = "已上传，正在识别";
          item.classList.add("uploaded");
          if (body.documents && body.documents.length) item.setAttribute("data-doc", body.documents[0]);
        } else {
          note.textContent = "上传失败：" + (body.error || xhr.status);
          item.classList.add("failed");
        }
        refresh();
        resolve();
      });
      xhr.addEventListener("error", function () {
        note.textContent = "上传失败：网络错误";
        item.classList.add("failed");
        resolve();
      });
      xhr.send(fd);
    });
  }

  function handle(file) {
    var item = el("li", "check");
    item.appendChild(el("span", "fname", file.name));
    var verdict = el("span", "verdict", "正在检查…");
    item.appendChild(verdict);
    item.appendChild(el("span", "upstate", ""));
    list.appendChild(item);
    return quickCheck(file).then(function (v) {
      verdict.textContent = v.message_zh;
      if (v.retake) {
        item.classList.add("retake");
        item.querySelector(".upstate").textContent = "未上传";
        var again = el("button", "small", "仍然上传");
        again.type = "button";
        again.addEventListener("click", function () {
          again.remove();
          upload(file, item);
        });
        item.appendChild(again);
        return null;
      }
      item.classList.add("good");
      return upload(file, item);
    }).catch(function (err) {
      verdict.textContent = err.message || "检查失败";
      item.classList.add("failed");
      var anyway = el("button", "small", "直接上传");
      anyway.type = "button";
      anyway.addEventListener("click", function () { anyway.remove(); upload(file, item); });
      item.appendChild(anyway);
    });
  }

  function pump() {
    if (running) return;
    var next = queue.shift();
    if (!next) return;
    running = true;
    handle(next).then(function () { running = false; pump(); });
  }

  function onPick(e) {
    var files = Array.prototype.slice.call(e.target.files || []);
    files.forEach(function (f) { queue.push(f); });
    e.target.value = "";
    pump();
  }

  function refresh() {
    return fetch(window.location.pathname, {credentials: "same-origin"}).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (!html) return;
      var doc = new DOMParser().parseFromString(html, "text/html");
      ["live", "submit-area"].forEach(function (id) {
        var fresh = doc.getElementById(id), here = document.getElementById(id);
        if (fresh && here) {
          here.innerHTML = fresh.innerHTML;
          Array.prototype.forEach.call(fresh.attributes, function (a) { here.setAttribute(a.name, a.value); });
        }
      });
      follow();
      schedule();
    }).catch(function () { schedule(); });
  }

  // each uploaded photo says what became of it once the worker has read it
  function follow() {
    Array.prototype.forEach.call(document.querySelectorAll("#checks li[data-doc]"), function (item) {
      var doc = document.querySelector('#docs li[data-doc="' + item.getAttribute("data-doc") + '"]');
      if (!doc) return;
      var state = doc.getAttribute("data-state");
      var note = item.querySelector(".upstate");
      if (state === "done") { note.textContent = "已识别"; item.classList.add("read"); }
      else if (state === "failed") { note.textContent = "识别失败，请重拍"; item.classList.add("failed"); }
    });
  }

  function schedule() {
    var live = document.getElementById("live");
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
    if (live && live.getAttribute("data-busy") === "true") pollTimer = setTimeout(refresh, 3000);
  }

  ["camera", "chooser"].forEach(function (id) {
    var input = document.getElementById(id);
    if (input) input.addEventListener("change", onPick);
  });
  schedule();
})();
