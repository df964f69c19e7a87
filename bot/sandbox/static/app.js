// Hotline Bot sandbox page: two chat panes acting as personas, and the tickets panel.
// Plain JavaScript, same origin only. Message HTML comes from the server already made safe
// (text escaped, Telegram's formatting subset only); everything else is set as text.
"use strict";

(() => {
  // Commands that make sense without an argument: a chip sends them at once; the others
  // (e.g. /take N) are put into the input box to be completed.
  const NO_ARGUMENT = new Set([
    "start", "help", "whoami", "report", "my", "profile", "cancel", "queue", "mine",
    "oncall", "schedule", "swap",
  ]);
  const GROUPS = ["Customers", "Engineers", "Managers"];

  const app = {
    personas: [],
    byId: new Map(),
    speed: 1,
    timezone: "UTC",
    botNow0: Date.now() / 1000,
    fetched0: Date.now(),
    panes: [],
    tickets: [],
    closed: [],
    // The tickets panel speaks the language of the persona chosen last (in either pane).
    panelLang: "zh",
    events: null,
    connectedOnce: false,
  };

  // ------------------------------------------------------------------ helpers

  async function request(method, path, body) {
    const options = { method, headers: {} };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = { ok: false, error: `${response.status} ${response.statusText}` };
    }
    if (!response.ok || !data.ok) {
      throw new Error((data && data.error) || `${response.status} ${response.statusText}`);
    }
    return data;
  }
  const get = (path) => request("GET", path);
  const post = (path, body) => request("POST", path, body);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function toast(text, kind) {
    const box = el("div", `toast ${kind || ""}`, text);
    document.getElementById("toasts").appendChild(box);
    setTimeout(() => box.remove(), kind === "alert" ? 6000 : 3500);
  }

  function botNowMs() {
    return app.botNow0 * 1000 + (Date.now() - app.fetched0) * app.speed;
  }

  function syncClock(botNowSeconds) {
    app.botNow0 = botNowSeconds;
    app.fetched0 = Date.now();
  }

  const formatters = {};
  function formatTime(ms, withDate) {
    const key = withDate ? "full" : "short";
    if (!formatters[key]) {
      const options = { timeZone: app.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      if (withDate) Object.assign(options, { year: "numeric", month: "2-digit", day: "2-digit", second: "2-digit" });
      formatters[key] = new Intl.DateTimeFormat("en-GB", options);
    }
    const parts = {};
    for (const part of formatters[key].formatToParts(new Date(ms))) parts[part.type] = part.value;
    const time = `${parts.hour}:${parts.minute}`;
    return withDate ? `${parts.year}-${parts.month}-${parts.day} ${time}:${parts.second}` : time;
  }

  function formatSpan(seconds) {
    const s = Math.floor(Math.abs(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const sec = s % 60;
    const pad = (n) => String(n).padStart(2, "0");
    return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
  }

  // ------------------------------------------------------------------ a chat pane

  class Pane {
    constructor(root, side) {
      this.root = root;
      this.side = side;
      this.personaId = null;
      this.messages = new Map();
      this.pending = null;
      this.commandTimer = null;
      root.appendChild(document.getElementById("pane-template").content.cloneNode(true));
      this.select = root.querySelector(".persona");
      this.who = root.querySelector(".who");
      this.banner = root.querySelector(".join-banner");
      this.bannerText = root.querySelector(".join-text");
      this.joinButton = root.querySelector(".join");
      this.list = root.querySelector(".messages");
      this.replyKeyboard = root.querySelector(".reply-keyboard");
      this.commands = root.querySelector(".commands");
      this.form = root.querySelector(".composer");
      this.input = root.querySelector(".compose");
      // Nothing can be typed or sent until the persona has opened the bot (Join / Start).
      this.enabled = true;
      this.setEnabled(false);

      for (const group of GROUPS) {
        const members = app.personas.filter((p) => p.group === group);
        if (!members.length) continue;
        const optgroup = el("optgroup");
        optgroup.label = group;
        for (const persona of members) {
          const option = el("option", null, `${persona.name} — ${persona.role_label}`);
          option.value = String(persona.id);
          optgroup.appendChild(option);
        }
        this.select.appendChild(optgroup);
      }
      this.select.addEventListener("change", () => this.setPersona(Number(this.select.value)));
      this.joinButton.addEventListener("click", () => this.join());
      this.form.addEventListener("submit", (event) => {
        event.preventDefault();
        this.sendText();
      });
      this.input.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          this.sendText();
        }
      });
      root.querySelector(".send-location").addEventListener("click", () => this.act("/api/location", {}));
      root.querySelector(".send-photo").addEventListener("click", () => this.act("/api/photo", {}));
      // A customer scans a device's QR label (before joining too: the label replaces the invite).
      this.scanBanner = root.querySelector(".scan-label");
      this.scanButton = root.querySelector(".send-scan");
      // A file (an admin's or project manager's equipment register), sent as a document.
      this.fileInput = root.querySelector(".file-input");
      root.querySelector(".send-file").addEventListener("click", () => this.fileInput.click());
      this.fileInput.addEventListener("change", () => this.sendFile());
      this.scanBanner.addEventListener("click", () => this.scan());
      this.scanButton.addEventListener("click", () => this.scan());
      this.stick = true;
      this.list.addEventListener("scroll", () => { this.stick = this.nearBottom(); });
      this.list.addEventListener("click", (event) => {
        const command = event.target.closest(".tg-cmd");
        if (command) {
          this.send(command.dataset.command || command.textContent);
          return;
        }
        const spoiler = event.target.closest(".tg-spoiler");
        if (spoiler) spoiler.classList.add("revealed");
      });
    }

    get persona() {
      return app.byId.get(this.personaId);
    }

    setPersona(id) {
      this.personaId = id;
      this.select.value = String(id);
      this.root.dataset.persona = String(id);
      this.setEnabled(false); // until this persona's chat is loaded
      const persona = this.persona;
      if (app.panelLang !== persona.language) {
        app.panelLang = persona.language;
        refreshTicketsSoon();
      }
      this.scanButton.hidden = this.scanBanner.hidden = persona.kind !== "customer";
      this.who.textContent = "";
      this.who.appendChild(el("b", null, persona.name));
      const details = [persona.role_label, persona.projects.join(", "), persona.phone].filter(Boolean);
      this.who.appendChild(document.createTextNode(` · ${details.join(" · ")} · id ${persona.id}`));
      updateUrl();
      this.load();
    }

    async load() {
      const id = this.personaId;
      // Live events that arrive while the chat is fetched are kept and applied after it.
      this.pending = [];
      let data;
      try {
        data = await get(`/api/chat/${id}`);
      } catch (error) {
        this.pending = null;
        toast(`Cannot load the chat: ${error.message}`, "error");
        return;
      }
      if (id !== this.personaId) return; // another persona was chosen meanwhile
      const pending = this.pending || [];
      this.pending = null;
      this.list.textContent = "";
      this.messages.clear();
      for (const view of data.messages) this.upsert(view, false);
      for (const [view, flash] of pending) this.upsert(view, flash);
      this.showCommands(data.commands);
      this.showJoin(!data.joined);
      this.scrollDown(true);
    }

    setEnabled(enabled) {
      this.enabled = enabled;
      for (const control of this.form.querySelectorAll("button, textarea")) {
        control.disabled = !enabled;
      }
      for (const chip of this.commands.querySelectorAll(".chip")) chip.disabled = !enabled;
      this.input.placeholder = enabled
        ? "Message (Enter sends, Shift+Enter: new line)"
        : "Join first (the button above)";
    }

    showJoin(show) {
      const persona = this.persona;
      this.setEnabled(!show);
      if (!show) {
        this.banner.hidden = true;
        return;
      }
      this.banner.hidden = false;
      if (persona.kind === "customer") {
        this.bannerText.textContent =
          `${persona.name} has not opened the bot yet. Join sends /start ${persona.invite} ` +
          "and answers the profile questions with the persona's details.";
        this.joinButton.textContent = `Join ${persona.projects[0] || ""}`.trim();
      } else {
        this.bannerText.textContent = `${persona.name} has not pressed Start yet.`;
        this.joinButton.textContent = "Start";
      }
    }

    async sendFile() {
      const file = this.fileInput.files && this.fileInput.files[0];
      this.fileInput.value = "";
      if (!file) return;
      if (file.size > 700 * 1024) {
        toast("The sandbox takes files up to 700 KB", "error");
        return;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = "";
      for (let i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
      }
      await this.act("/api/document", { file_name: file.name, data_b64: btoa(binary) });
    }

    async scan() {
      try {
        const { result } = await post("/api/scan", { user_id: this.personaId });
        const device = result && result.code ? ` ${result.code} ${result.name}` : "";
        toast(`Scanned the label of${device}`);
        this.scrollDown(true);
      } catch (error) {
        toast(error.message, "error");
      }
    }

    async join() {
      this.joinButton.disabled = true;
      try {
        await post("/api/join", { user_id: this.personaId });
      } catch (error) {
        toast(error.message, "error");
      } finally {
        this.joinButton.disabled = false;
      }
    }

    showCommands(commands) {
      this.commands.textContent = "";
      for (const item of commands || []) {
        const chip = el("button", "chip", `/${item.command}`);
        chip.type = "button";
        chip.title = item.description;
        chip.dataset.command = item.command;
        chip.disabled = !this.enabled;
        chip.addEventListener("click", () => {
          if (NO_ARGUMENT.has(item.command)) {
            this.send(`/${item.command}`);
          } else {
            this.input.value = `/${item.command} `;
            this.input.focus();
          }
        });
        this.commands.appendChild(chip);
      }
    }

    refreshCommandsSoon() {
      clearTimeout(this.commandTimer);
      this.commandTimer = setTimeout(async () => {
        try {
          const data = await get(`/api/chat/${this.personaId}`);
          if (data.persona.id === this.personaId) {
            this.showCommands(data.commands);
            this.showJoin(!data.joined);
          }
        } catch (error) {
          /* the next event tries again */
        }
      }, 700);
    }

    async sendText() {
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = "";
      await this.send(text);
    }

    async send(text) {
      await this.act("/api/send", { text });
    }

    async act(path, body) {
      try {
        await post(path, { user_id: this.personaId, ...body });
        this.scrollDown(true);
      } catch (error) {
        toast(error.message, "error");
      }
    }

    async press(button, messageId, data) {
      button.disabled = true;
      try {
        await post("/api/press", { user_id: this.personaId, message_id: messageId, data });
      } catch (error) {
        toast(error.message, "error");
      } finally {
        setTimeout(() => { button.disabled = false; }, 400);
      }
    }

    nearBottom() {
      return this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 80;
    }

    // The chat follows new messages while the reader is at the bottom (this.stick), as
    // chat apps do; scrolling up to read stops that until they come back down.
    scrollDown(force) {
      if (force) this.stick = true;
      if (this.stick) {
        requestAnimationFrame(() => { this.list.scrollTop = this.list.scrollHeight; });
      }
    }

    upsert(view, flash) {
      if (view.chat_id !== this.personaId) return;
      if (this.pending) {
        this.pending.push([view, flash]);
        return;
      }
      const old = this.messages.get(view.id);
      if (old && old.view.edits > view.edits) return; // an older state of the message
      const node = this.render(view);
      if (old) {
        old.replaceWith(node);
        if (flash) {
          node.classList.add("flash");
        }
      } else {
        const later = [...this.messages.entries()].filter(([id]) => id > view.id).sort((a, b) => a[0] - b[0]);
        if (later.length) {
          this.list.insertBefore(node, later[0][1]);
        } else {
          this.list.appendChild(node);
        }
      }
      this.messages.set(view.id, node);
      this.updateReplyKeyboard();
      if (!old) this.scrollDown(!view.from_bot);
      else this.scrollDown(false);
      if (view.start) this.showJoin(false);
    }

    remove(messageId) {
      const node = this.messages.get(messageId);
      if (node) node.remove();
      this.messages.delete(messageId);
    }

    render(view) {
      const wrap = el("div", `msg ${view.from_bot ? "from-bot" : "from-user"}`);
      wrap.dataset.id = String(view.id);
      wrap.dataset.kind = view.kind;
      const bubble = el("div", "bubble");
      if (view.location) {
        const card = el("div", "location-card");
        card.appendChild(el("span", "pin", "📍"));
        const lat = Number(view.location.latitude).toFixed(5);
        const lon = Number(view.location.longitude).toFixed(5);
        card.appendChild(el("span", null, `Location ${lat}, ${lon}`));
        bubble.appendChild(card);
      }
      if (view.media_url) {
        const media = el("div", "media");
        if (view.kind === "document") {
          const link = el("a", "file-link", `📄 ${view.file_name || "document"}`);
          link.href = view.media_url;
          link.setAttribute("download", view.file_name || "document");
          media.appendChild(link);
        } else {
          const img = el("img");
          img.addEventListener("load", () => this.scrollDown(false));
          img.src = view.media_url;
          img.alt = view.kind;
          media.appendChild(img);
        }
        bubble.appendChild(media);
      }
      if (view.html) {
        const body = el("div", "text");
        body.innerHTML = view.html; // safe: built by the server from escaped text + entities
        bubble.appendChild(body);
      }
      const meta = el("div", "meta");
      if (view.edits) meta.appendChild(el("span", "edited", "edited"));
      meta.appendChild(document.createTextNode(formatTime(view.date * 1000, false)));
      bubble.appendChild(meta);
      wrap.appendChild(bubble);
      if (view.keyboard && view.keyboard.length) {
        const kb = el("div", "kb");
        for (const row of view.keyboard) {
          const line = el("div", "kb-row");
          for (const button of row) {
            if (button.url) {
              const link = el("a", null, button.text);
              link.href = button.url;
              link.target = "_blank";
              link.rel = "noopener noreferrer";
              line.appendChild(link);
            } else {
              const b = el("button", null, button.text);
              b.type = "button";
              if (button.data !== undefined) {
                b.addEventListener("click", () => this.press(b, view.id, button.data));
              } else {
                b.disabled = true;
              }
              line.appendChild(b);
            }
          }
          kb.appendChild(line);
        }
        wrap.appendChild(kb);
      }
      wrap.view = view;
      return wrap;
    }

    updateReplyKeyboard() {
      let last = null;
      for (const node of this.messages.values()) {
        if (node.view.from_bot && (last === null || node.view.id > last.id)) last = node.view;
      }
      this.replyKeyboard.textContent = "";
      const rows = (last && last.reply_keyboard) || [];
      this.replyKeyboard.hidden = rows.length === 0;
      for (const row of rows) {
        const line = el("div", "kb-row");
        for (const button of row) {
          const b = el("button", null, button.text);
          b.type = "button";
          b.addEventListener("click", () => {
            if (button.request === "location") this.act("/api/location", {});
            else this.send(button.text);
          });
          line.appendChild(b);
        }
        this.replyKeyboard.appendChild(line);
      }
    }
  }

  function updateUrl() {
    const params = new URLSearchParams(window.location.search);
    for (const pane of app.panes) {
      if (pane.personaId !== null) params.set(pane.side, String(pane.personaId));
    }
    history.replaceState(null, "", `${window.location.pathname}?${params}`);
  }

  // ------------------------------------------------------------------ tickets panel

  let ticketTimer = null;
  function refreshTicketsSoon() {
    // At most one refresh every 200 ms, however many messages arrive.
    if (ticketTimer !== null) return;
    ticketTimer = setTimeout(() => {
      ticketTimer = null;
      refreshTickets();
    }, 200);
  }

  async function refreshTickets() {
    try {
      const lang = app.panelLang;
      const data = await get(`/api/tickets?lang=${encodeURIComponent(lang)}`);
      if (lang !== app.panelLang) return; // asked again in the other language meanwhile
      syncClock(data.bot_now);
      app.tickets = data.tickets;
      app.closed = data.closed || [];
      renderTickets();
    } catch (error) {
      /* retried on the next event or tick */
    }
  }

  function nextDeadline(ticket) {
    const running = ticket.clocks.filter((c) => c.running && !c.paused && c.due !== null);
    running.sort((a, b) => a.due - b.due);
    return running[0] || null;
  }

  // The panel's own words, in the panel's language (ticket labels come from the bot).
  const PANEL_WORDS = {
    zh: {
      title: "工单", open: "未结工单", closed: "最近关闭", none: "暂无未结工单。",
      owner: "负责人", nobody: "— 尚无人接单", customer: "客户", site: "地点",
      noSite: "（尚未提供）", next: "下一时限", due: "截止", left: "剩余", overdue: "已超时",
    },
    en: {
      title: "Tickets", open: "Open", closed: "Recently closed", none: "No open tickets.",
      owner: "owner", nobody: "— nobody yet", customer: "customer", site: "site",
      noSite: "(not given yet)", next: "next", due: "due", left: "left", overdue: "overdue",
    },
  };
  const words = () => PANEL_WORDS[app.panelLang] || PANEL_WORDS.en;

  function ticketCard(ticket) {
    const w = words();
    const card = el("div", `ticket${ticket.open ? "" : " done"}`);
    card.dataset.ticket = String(ticket.id);
    const head = el("div", "ticket-head");
    head.appendChild(el("span", "ticket-no", `#${ticket.id}`));
    const level = el("span", `level level-${ticket.level}`, ticket.level);
    level.title = ticket.level_label;
    head.appendChild(level);
    head.appendChild(el("span", "ticket-status", ticket.status_label));
    card.appendChild(head);
    const owner = el("div", "ticket-line");
    owner.appendChild(document.createTextNode(`${w.owner} `));
    owner.appendChild(el("b", null, ticket.owner || w.nobody));
    card.appendChild(owner);
    card.appendChild(el("div", "ticket-line", `${w.customer} ${ticket.customer || "—"} · ${ticket.project}`));
    card.appendChild(el("div", "ticket-line", `${w.site} ${ticket.site || w.noSite}`));
    const next = ticket.open ? nextDeadline(ticket) : null;
    if (next) {
      const deadline = el("div", "deadline");
      deadline.appendChild(el("span", null, `${w.next}: ${next.label}`));
      const countdown = el("span", "countdown");
      countdown.dataset.due = String(next.due * 1000);
      deadline.appendChild(countdown);
      deadline.appendChild(el("span", "due", `${w.due} ${formatTime(next.due * 1000, false)}`));
      card.appendChild(deadline);
    }
    const chips = el("div", "clocks");
    for (const clock of ticket.clocks) {
      let state = "";
      let mark = "";
      if (clock.met === true) { state = "met"; mark = " ✓"; }
      else if (clock.met === false || clock.breached) { state = "missed"; mark = " ✗"; }
      else if (clock.paused) { state = "paused"; mark = " ⏸"; }
      chips.appendChild(el("span", `clock-chip ${state}`, `${clock.label}${mark}`));
    }
    card.appendChild(chips);
    return card;
  }

  function renderTickets() {
    const w = words();
    document.getElementById("tickets-open-title").textContent = w.open;
    document.getElementById("tickets-closed-title").textContent = w.closed;
    const list = document.getElementById("ticket-list");
    list.textContent = "";
    if (!app.tickets.length) list.appendChild(el("p", "empty", w.none));
    for (const ticket of app.tickets) list.appendChild(ticketCard(ticket));
    const closed = document.getElementById("closed-list");
    closed.textContent = "";
    for (const ticket of app.closed) closed.appendChild(ticketCard(ticket));
    document.getElementById("tickets-closed").hidden = app.closed.length === 0;
    tick();
  }

  function tick() {
    const now = botNowMs();
    document.getElementById("bot-clock").textContent = formatTime(now, true);
    for (const node of document.querySelectorAll(".countdown")) {
      const left = (Number(node.dataset.due) - now) / 1000;
      const w = words();
      node.textContent = left >= 0 ? `${formatSpan(left)} ${w.left}` : `${w.overdue} ${formatSpan(left)}`;
      node.classList.toggle("over", left < 0);
      node.classList.toggle("soon", left >= 0 && left < 300);
    }
  }

  // ------------------------------------------------------------------ live events

  function connect() {
    const live = document.getElementById("live");
    const source = new EventSource("/api/events");
    app.events = source;
    source.addEventListener("open", () => {
      live.textContent = "live";
      live.classList.remove("off");
      if (app.connectedOnce) {
        // Reconnected: reload what may have happened while we were away.
        for (const pane of app.panes) pane.load();
      }
      app.connectedOnce = true;
      refreshTickets();
    });
    source.addEventListener("error", () => {
      live.textContent = "reconnecting…";
      live.classList.add("off");
    });
    const onMessage = (flash) => (event) => {
      const view = JSON.parse(event.data);
      for (const pane of app.panes) {
        if (pane.personaId === view.chat_id) {
          pane.upsert(view, flash);
          if (view.from_bot) pane.refreshCommandsSoon();
        }
      }
      refreshTicketsSoon();
    };
    source.addEventListener("message", onMessage(false));
    source.addEventListener("edit", onMessage(true));
    source.addEventListener("delete", (event) => {
      const data = JSON.parse(event.data);
      for (const pane of app.panes) if (pane.personaId === data.chat_id) pane.remove(data.message_id);
    });
    source.addEventListener("answer", (event) => {
      const data = JSON.parse(event.data);
      const shown = app.panes.some((pane) => pane.personaId === data.chat_id);
      if (!data.text || !shown) return;
      const persona = app.byId.get(data.chat_id);
      toast(`${persona ? persona.name : data.chat_id}: ${data.text}`, data.show_alert ? "alert" : "");
    });
  }

  // ------------------------------------------------------------------ start

  async function main() {
    const state = await get("/api/state");
    app.personas = state.personas;
    app.speed = state.speed;
    app.timezone = state.timezone;
    syncClock(state.bot_now);
    for (const persona of app.personas) app.byId.set(persona.id, persona);
    document.getElementById("speed").textContent = app.speed === 1 ? "" : `×${app.speed}`;

    const params = new URLSearchParams(window.location.search);
    const firstOf = (group) => (app.personas.find((p) => p.group === group) || app.personas[0]).id;
    const pick = (side, fallback) => {
      const wanted = Number(params.get(side));
      return app.byId.has(wanted) ? wanted : fallback;
    };
    const left = new Pane(document.getElementById("pane-left"), "left");
    const right = new Pane(document.getElementById("pane-right"), "right");
    app.panes = [left, right];
    left.setPersona(pick("left", firstOf("Customers")));
    right.setPersona(pick("right", firstOf("Engineers")));
    connect();
    setInterval(tick, app.speed > 1 ? 200 : 1000);
    setInterval(refreshTickets, 5000);
  }

  main().catch((error) => toast(`The sandbox page could not start: ${error.message}`, "error"));
})();
