// The drop page: PUT each file into incoming/ (the same request an S3 client sends, on the
// same endpoint, with the console's CSRF token in place of a signature), then poll the console for how far its article has got.
"use strict";
(function () {
  const zone = document.getElementById("dropzone");
  const picker = document.getElementById("files");
  const rows = document.querySelector("#drops tbody");
  const bucket = zone.dataset.bucket;
  const FINAL = new Set(["stored", "failed"]);
  const POLL_MS = 500, GIVE_UP_MS = 10 * 60 * 1000;
  // What `aws s3 cp` would set from the extension, where the browser knows none.
  const TYPES = { txt: "text/plain", html: "text/html", htm: "text/html", md: "text/markdown", json: "application/json" };

  function contentType(file) {
    const extension = file.name.includes(".") ? file.name.split(".").pop().toLowerCase() : "";
    return file.type || TYPES[extension] || "binary/octet-stream";
  }

  function row(file) {
    const tr = document.createElement("tr");
    tr.dataset.key = "incoming/" + file.name;
    for (const name of ["file", "state", "detail"]) {
      const td = document.createElement("td");
      td.className = name;
      tr.appendChild(td);
    }
    tr.querySelector(".file").textContent = file.name;
    rows.prepend(tr);
    return tr;
  }

  function show(tr, state, detail, articleId) {
    const cell = tr.querySelector(".state");
    cell.textContent = "";
    const badge = document.createElement("span");
    badge.className = "status " + state;
    badge.textContent = state;
    cell.appendChild(badge);
    tr.dataset.state = state;
    const info = tr.querySelector(".detail");
    info.textContent = detail || "";
    if (articleId && FINAL.has(state)) {
      const link = document.createElement("a");
      link.href = zone.dataset.articleUrl.replace("ARTICLE_ID", encodeURIComponent(articleId));
      link.textContent = "open article";
      if (detail) info.appendChild(document.createTextNode(" "));
      info.appendChild(link);
    }
  }

  async function follow(tr, key, etag) {
    const started = Date.now();
    const url = zone.dataset.stateUrl + "?" + new URLSearchParams({ key: key, etag: etag || "" });
    while (Date.now() - started < GIVE_UP_MS) {
      const response = await fetch(url);
      if (response.ok) {
        const state = await response.json();
        show(tr, state.state, state.error, state.article_id);
        if (FINAL.has(state.state)) return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    show(tr, tr.dataset.state || "uploaded", "no record after 10 minutes: see the server's output and the DLQs");
  }

  async function upload(file) {
    const tr = row(file);
    const key = "incoming/" + file.name;
    show(tr, "uploading");
    try {
      const path = key.split("/").map(encodeURIComponent).join("/");
      const response = await fetch("/" + encodeURIComponent(bucket) + "/" + path, {
        // Unsigned, so the server wants the console's token: no other page has it.
        method: "PUT", body: file, headers: { "Content-Type": contentType(file), "X-CSRF-Token": zone.dataset.csrfToken },
      });
      if (!response.ok) throw new Error("S3 answered " + response.status + " " + (await response.text()).slice(0, 200));
      show(tr, "uploaded");
      await follow(tr, key, (response.headers.get("ETag") || "").replaceAll('"', ""));
    } catch (error) {
      show(tr, "failed", "upload: " + error.message);
    }
  }

  function take(files) {
    for (const file of files) upload(file);
  }

  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    take(event.dataTransfer.files);
  });
  picker.addEventListener("change", () => { take(picker.files); picker.value = ""; });
})();
