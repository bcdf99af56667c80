// Viewer page of livebot's embedded live room (PROTOCOL.md v1).
// Everything a user or the bot wrote reaches the DOM through textContent or an attribute, never as markup.
"use strict";

(() => {
  const ROLE_LABELS = { moderator: "房管", broadcaster: "主播", bot: "助手" };
  const MAX_MESSAGES = 300;
  const MAX_TEXT_CHARS = 500;
  const BACKOFF_BASE_MS = 500;
  const BACKOFF_CAP_MS = 30000;
  const HEALTHY_AFTER_MS = 10000;
  const PING_EVERY_MS = 20000;
  const PONG_WITHIN_MS = 10000;
  const NOTICE_MS = 6000;
  const NAME_KEY = "livebot.name";
  const UID_KEY = "livebot.uid";

  const $ = (id) => document.getElementById(id);
  const chat = $("chat");
  const input = $("input");
  const send = $("send");
  const status = $("status");
  const notice = $("notice");
  const productCard = $("product");

  const params = new URLSearchParams(location.search);
  const room = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
  const token = params.get("token") || "";

  let ws = null;
  let me = null;
  let name = "";
  let attempt = 0;
  let failuresWithoutWelcome = 0;
  let reconnectTimer = 0;
  let healthyTimer = 0;
  let pingTimer = 0;
  let pongTimer = 0;
  let noticeTimer = 0;
  let currentProduct = null;

  // -- storage (private mode may forbid it) -------------------------------------------------------
  function load(key) {
    try {
      return localStorage.getItem(key) || "";
    } catch {
      return "";
    }
  }

  function store(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch {
      /* the page still works, it just forgets */
    }
  }

  // -- small DOM helpers --------------------------------------------------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setStatus(state) {
    status.textContent = state;
    status.dataset.state = state;
    const online = state === "connected";
    input.disabled = !online;
    send.disabled = !online;
  }

  function showNotice(text) {
    notice.textContent = text;
    notice.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      notice.hidden = true;
    }, NOTICE_MS);
  }

  function nearBottom() {
    return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 80;
  }

  function append(node) {
    const stick = nearBottom();
    chat.appendChild(node);
    while (chat.children.length > MAX_MESSAGES) chat.firstElementChild.remove();
    if (stick) chat.scrollTop = chat.scrollHeight;
  }

  function findMessage(id) {
    return chat.querySelector(`.msg[data-id="${Number(id)}"]`);
  }

  function nameOfUid(uid) {
    for (const node of chat.querySelectorAll(".msg[data-uid]")) {
      if (node.dataset.uid === uid) return node.querySelector(".name")?.textContent || uid;
    }
    return uid;
  }

  function money(value) {
    const number = Number(value);
    if (value === null || value === undefined || value === "" || Number.isNaN(number)) return String(value ?? "");
    return "¥" + (Number.isInteger(number) ? String(number) : number.toFixed(2));
  }

  function productLabel(sku) {
    if (currentProduct && currentProduct.sku === sku) {
      const link = currentProduct.link;
      return (link !== undefined && link !== null ? `${link}号链接 ` : "") + (currentProduct.name ?? sku);
    }
    return sku;
  }

  // -- rendering events ---------------------------------------------------------------------------
  function messageShell(event) {
    const li = el("li", "msg");
    li.dataset.id = String(event.id);
    li.dataset.type = String(event.type);
    const user = event.user || {};
    li.dataset.uid = String(user.uid ?? "");
    li.dataset.role = String(user.role ?? "viewer");
    if (me && user.uid === me.uid) li.classList.add("mine");
    return li;
  }

  function author(li, user) {
    const label = ROLE_LABELS[user.role];
    if (label) {
      const badge = el("span", `badge role-${user.role}`, label);
      badge.title = user.role;
      li.appendChild(badge);
    }
    li.appendChild(el("span", "name", user.name ?? user.uid ?? "?"));
  }

  function renderChat(event) {
    const li = messageShell(event);
    author(li, event.user || {});
    if (event.reply_to !== null && event.reply_to !== undefined) {
      const target = findMessage(event.reply_to);
      const who = target?.querySelector(".name")?.textContent;
      li.appendChild(el("span", "reply", who ? `回复 @${who}` : "回复"));
    }
    li.appendChild(el("span", "text", event.text));
    append(li);
  }

  function renderImage(event) {
    const li = messageShell(event);
    li.classList.add("image");
    author(li, event.user || {});
    const figure = el("figure", "figure");
    const img = document.createElement("img");
    img.alt = String(event.alt ?? "");
    img.loading = "lazy";
    img.decoding = "async";
    img.referrerPolicy = "no-referrer";
    img.src = String(event.url ?? "");
    figure.appendChild(img);
    if (event.caption) figure.appendChild(el("figcaption", "caption", event.caption));
    li.appendChild(figure);
    append(li);
  }

  function renderSystem(event, text) {
    const li = messageShell(event);
    li.classList.add("system");
    li.appendChild(el("span", "text", text));
    append(li);
  }

  function showProduct(product) {
    currentProduct = product && typeof product === "object" ? product : null;
    productCard.hidden = !currentProduct;
    if (!currentProduct) return;
    const p = currentProduct;
    const link = productCard.querySelector(".link");
    link.textContent = p.link !== undefined && p.link !== null ? `${p.link}号链接` : "";
    link.hidden = !link.textContent;
    productCard.querySelector(".name").textContent = String(p.name ?? p.sku ?? "");
    productCard.querySelector(".price").textContent = money(p.price);
    const original = productCard.querySelector(".original-price");
    const higher = Number(p.original_price) > Number(p.price);
    original.textContent = higher ? money(p.original_price) : "";
    original.hidden = !higher;
    const stock = productCard.querySelector(".stock");
    const count = Number(p.stock);
    stock.textContent = p.stock === undefined || p.stock === null ? "" : count > 0 ? `库存 ${count}` : "已售罄";
    stock.classList.toggle("sold-out", p.stock !== undefined && p.stock !== null && !(count > 0));
    productCard.dataset.sku = String(p.sku ?? "");
  }

  function renderEvent(event, live = true) {
    const who = event.user?.name ?? event.user?.uid ?? "?";
    switch (event.type) {
      case "chat":
        return renderChat(event);
      case "image":
        return renderImage(event);
      case "product":
        showProduct(event.product);
        return renderSystem(event, `正在讲解：${productLabel(event.product?.sku)}`);
      case "click":
        return renderSystem(event, `${who} 点开了 ${productLabel(event.sku)}`);
      case "purchase":
        return renderSystem(event, `${who} 下单了 ${productLabel(event.sku)}`);
      case "delete":
        findMessage(event.target)?.remove();
        return undefined;
      case "timeout": {
        const target = nameOfUid(String(event.uid));
        if (live && me && event.uid === me.uid) {
          showNotice(`你被禁言到 ${new Date(Number(event.until)).toLocaleTimeString()}`);
        }
        return renderSystem(event, `${target} 被禁言 ${event.seconds} 秒`);
      }
      default:
        return undefined; // a newer server's event: nothing to show
    }
  }

  function onWelcome(frame) {
    me = frame.you || null;
    if (me?.uid) store(UID_KEY, me.uid);
    const meButton = $("me");
    meButton.textContent = me ? me.name : "";
    meButton.hidden = !me;
    chat.replaceChildren();
    showProduct(frame.product);
    for (const event of frame.history || []) renderEvent(event, false);
    chat.scrollTop = chat.scrollHeight;
    failuresWithoutWelcome = 0;
    setStatus("connected");
  }

  // Returns the frame's type (or null) so the connection loop knows when it was welcomed.
  function onFrame(raw) {
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return null;
    }
    if (!frame || typeof frame !== "object") return null;
    clearTimeout(pongTimer);
    if (frame.type === "welcome") onWelcome(frame);
    else if (frame.type === "error") showNotice(String(frame.message || frame.code || "出错了"));
    else if (frame.type !== "pong") renderEvent(frame);
    return String(frame.type);
  }

  // -- the connection: one loop of connect, run, back off -----------------------------------------
  function socketUrl() {
    const query = new URLSearchParams({ name });
    const uid = load(UID_KEY);
    if (uid) query.set("uid", uid);
    if (token) query.set("token", token);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${location.host}/ws/${encodeURIComponent(room)}?${query}`;
  }

  function connect() {
    clearTimeout(reconnectTimer);
    setStatus(attempt === 0 ? "connecting" : "reconnecting");
    const socket = new WebSocket(socketUrl());
    ws = socket;
    let welcomed = false;
    socket.onmessage = (message) => {
      if (socket !== ws) return;
      if (onFrame(message.data) === "welcome") welcomed = true;
    };
    socket.onopen = () => {
      healthyTimer = setTimeout(() => {
        attempt = 0;
      }, HEALTHY_AFTER_MS);
      pingTimer = setInterval(keepAlive, PING_EVERY_MS);
    };
    socket.onclose = () => {
      if (socket !== ws) return;
      stopTimers();
      if (!welcomed) failuresWithoutWelcome += 1;
      if (failuresWithoutWelcome >= 3) showNotice("进不了直播间：检查房间名和链接里的 token 是否正确，正在重试…");
      scheduleReconnect();
    };
  }

  function stopTimers() {
    clearTimeout(healthyTimer);
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    clearTimeout(reconnectTimer);
  }

  function keepAlive() {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(JSON.stringify({ type: "ping" }));
    clearTimeout(pongTimer);
    const socket = ws;
    // No answer in time: the socket is dead even if the browser has not noticed.
    pongTimer = setTimeout(() => socket.close(), PONG_WITHIN_MS);
  }

  function scheduleReconnect() {
    const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    attempt += 1;
    setStatus("reconnecting");
    reconnectTimer = setTimeout(connect, delay);
  }

  function join(newName) {
    name = newName.trim().slice(0, 32);
    if (!name) return;
    store(NAME_KEY, name);
    $("join").hidden = true;
    attempt = 0;
    stopTimers();
    if (ws) {
      const old = ws;
      ws = null;
      old.close();
    }
    connect();
  }

  // -- user input ---------------------------------------------------------------------------------
  function onSend(event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    if (text.length > MAX_TEXT_CHARS) {
      showNotice(`最多 ${MAX_TEXT_CHARS} 个字`);
      return;
    }
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      showNotice("还没连上，稍等一下");
      return;
    }
    ws.send(JSON.stringify({ type: "chat", text }));
    input.value = "";
  }

  function askName() {
    const field = $("name");
    field.value = name || load(NAME_KEY);
    $("join").hidden = false;
    field.focus();
  }

  function start() {
    $("room-title").textContent = room ? `直播间 ${room}` : "直播间";
    document.title = `${room} · 直播间`;
    $("composer").addEventListener("submit", onSend);
    $("join-form").addEventListener("submit", (event) => {
      event.preventDefault();
      join($("name").value);
    });
    $("me").addEventListener("click", askName);
    const given = (params.get("name") || "").trim();
    if (given) join(given);
    else askName();
  }

  start();
})();
