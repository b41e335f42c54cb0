/*
 * Back-pain assistant: website chat widget. Plain JavaScript, no build step,
 * no outside requests: everything comes from the server that served this file.
 *
 * Embed with one tag:
 *   <script src="https://BOT-HOST/webhooks/widget/widget.js" defer></script>
 * Optional, set before it:
 *   <script>window.BackPainWidget = {title: "Back pain questions", open: true};</script>
 *
 * Message text is only ever put into text nodes (never innerHTML), links are
 * built as elements.
 */
(function () {
  "use strict";

  if (window.__backPainWidgetLoaded) return; // the tag pasted twice
  window.__backPainWidgetLoaded = true;

  var config = window.BackPainWidget || {};
  var script = document.currentScript || findScript();
  // ".../webhooks/widget/widget.js" -> ".../webhooks/widget/": every URL we use is relative to it.
  var BASE = new URL(".", script.src).href;
  var STORAGE_KEY = "backPainWidget.sessionId";
  var CARELINE = "612-339-3663";
  var TIMEOUT_MS = 30000;
  var FAILURE_TEXT = "Sorry, I could not reach the assistant. If you need help now call " +
    CARELINE + "; in an emergency call 911.";

  function findScript() {
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/widget\.js(\?|$)/.test(scripts[i].src)) return scripts[i];
    }
    return {src: location.href};
  }

  // ---- session id: in localStorage, so every tab of the site shares the conversation

  function newSessionId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    var hex = "";
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] + 0x100).toString(16).slice(1);
    return "web-" + hex;
  }

  var memorySession = null; // when storage is blocked (some private modes)
  var historyShown = null; // promise of the shown history of the current session, once fetched
  function readSession() {
    try { return localStorage.getItem(STORAGE_KEY); } catch (e) { return memorySession; }
  }
  function writeSession(id) {
    memorySession = id;
    try { localStorage.setItem(STORAGE_KEY, id); } catch (e) { /* memory only */ }
  }
  function sessionId() {
    var id = readSession();
    if (!id || !/^web-[0-9a-f]{32}$/.test(id)) {
      id = newSessionId();
      writeSession(id);
      historyShown = Promise.resolve(); // a brand-new session has no history to fetch
    }
    return id;
  }

  // ---- small DOM helpers

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) {
      if (name === "text") node.textContent = attrs[name];
      else node.setAttribute(name, attrs[name]);
    }
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function telLink(phone, children, className) {
    return el("a", {href: "tel:" + phone.replace(/\D/g, ""), "class": className || "bpw-tel"},
              children || [phone]);
  }

  // A speech bubble drawn inline: an emoji may have no font, an image would be one more request.
  function chatIcon() {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "bpw-launcher-icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(NS, "path");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  // Markdown links, bare http(s) URLs, US phone numbers and 911/988 become links;
  // everything else stays plain text.
  var TOKENS = /\[([^\]\n]+)\]\((https?:\/\/[^\s()]+)\)|(https?:\/\/[^\s<>()"]*[^\s<>()".,;:!?'])|\b(\d{3}-\d{3}-\d{4}|911|988)\b/g;

  function richText(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    var match;
    TOKENS.lastIndex = 0;
    while ((match = TOKENS.exec(text)) !== null) {
      var start = match.index, end = start + match[0].length;
      // "911" inside a longer dashed number is not a phone number of its own
      if (match[4] && match[4].length === 3 && (text.charAt(start - 1) === "-" || text.charAt(end) === "-")) {
        continue;
      }
      fragment.appendChild(document.createTextNode(text.slice(last, start)));
      if (match[1]) fragment.appendChild(webLink(match[2], match[1]));
      else if (match[3]) fragment.appendChild(webLink(match[3], match[3]));
      else fragment.appendChild(telLink(match[4]));
      last = end;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  function webLink(url, label) {
    return el("a", {href: url, target: "_blank", rel: "noopener", text: label});
  }

  // ---- the widget's elements

  var title = String(config.title || "Back pain questions");
  var root = el("section", {"class": "bpw", "aria-label": title + " chat", hidden: ""});
  var launcher = el("button", {type: "button", "class": "bpw-launcher", "aria-expanded": "false",
                               "aria-controls": "bpw-panel"},
                    [chatIcon(), el("span", {text: "Chat: " + title})]);
  var restart = el("button", {type: "button", "class": "bpw-restart", text: "Start over"});
  var close = el("button", {type: "button", "class": "bpw-close", "aria-label": "Close chat"},
                 [el("span", {"aria-hidden": "true", text: "\u00D7"})]);
  var notice = el("p", {"class": "bpw-notice"},
                  ["Not for emergencies. If this is an emergency, call ", telLink("911"), "."]);
  var empty = el("p", {"class": "bpw-empty",
                       text: "Ask a question about back pain, for example: Do I need bed rest?"});
  var log = el("div", {"class": "bpw-log", role: "log", "aria-live": "polite",
                       "aria-label": "Conversation", tabindex: "0"});
  var status = el("p", {"class": "bpw-status", role: "status", "aria-live": "polite"});
  var input = el("input", {id: "bpw-input", type: "text", autocomplete: "off",
                           maxlength: "2000", enterkeyhint: "send"});
  var send = el("button", {type: "submit", "class": "bpw-send", text: "Send"});
  var form = el("form", {"class": "bpw-form"},
                [el("label", {"for": "bpw-input", "class": "bpw-label", text: "Type your question"}),
                 el("div", {"class": "bpw-row"}, [input, send])]);
  var panel = el("div", {id: "bpw-panel", "class": "bpw-panel", role: "dialog",
                         "aria-labelledby": "bpw-title", hidden: ""}, [
    el("div", {"class": "bpw-header"}, [
      el("div", {"class": "bpw-heading"}, [
        el("h2", {id: "bpw-title", "class": "bpw-title", text: title}),
        el("p", {"class": "bpw-subtitle", text: "Automated assistant, not a nurse"})]),
      restart, close]),
    notice, empty, log, status, form]);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ---- messages

  function addUser(text) {
    disableOldButtons();
    log.appendChild(el("div", {"class": "bpw-msg bpw-user"},
                       [el("span", {"class": "bpw-sr", text: "You: "}), text]));
    shown();
  }

  function addBot(message) {
    var node = el("div", {"class": "bpw-msg bpw-bot"}, [el("span", {"class": "bpw-sr", text: "Assistant: "})]);
    if (message.text) node.appendChild(el("p", {"class": "bpw-text"}, [richText(String(message.text))]));
    var handoff = message.custom && message.custom.handoff;
    if (handoff) node.appendChild(callCard(handoff));
    if (message.buttons && message.buttons.length) node.appendChild(quickReplies(message.buttons));
    if (node.childNodes.length === 1) return null; // nothing we know how to show
    log.appendChild(node);
    shown();
    return node;
  }

  function addFailure() {
    disableOldButtons();
    log.appendChild(el("div", {"class": "bpw-msg bpw-bot bpw-error"},
                       [el("span", {"class": "bpw-sr", text: "Assistant: "}),
                        el("p", {"class": "bpw-text"}, [richText(FAILURE_TEXT)])]));
    shown();
  }

  function shown() {
    empty.hidden = log.childNodes.length > 0;
    log.scrollTop = log.scrollHeight;
  }

  // A long reply (a red flag's advice and call card) is read from its start:
  // if its first message scrolled out of view, bring it back to the top.
  function reveal(first) {
    var gap = first.getBoundingClientRect().top - log.getBoundingClientRect().top;
    if (gap < 0) log.scrollTop += gap - 8;
  }

  // Only the quick replies of the newest reply can be used: a new turn (the
  // person writes or clicks) disables all earlier ones. One reply can hold
  // several messages with buttons, so a bot message does not disable its siblings.
  function disableOldButtons() {
    var old = log.querySelectorAll(".bpw-reply");
    for (var i = 0; i < old.length; i++) old[i].disabled = true;
  }

  function quickReplies(buttons) {
    var group = el("div", {"class": "bpw-replies", role: "group", "aria-label": "Quick replies"});
    buttons.forEach(function (button) {
      if (!button || !button.title) return;
      var node = el("button", {type: "button", "class": "bpw-reply", text: String(button.title)});
      node.addEventListener("click", function () {
        // The disabled button loses focus; keep the keyboard in the text box.
        input.focus();
        submit(String(button.payload || button.title), String(button.title));
      });
      group.appendChild(node);
    });
    return group;
  }

  function number(phone) {
    return el("span", {"class": "bpw-number", text: phone});
  }

  var CARD_HEADINGS = {emergency: "Call 911 now", urgent: "Talk to a CareLine nurse now"};

  function callCard(handoff) {
    var level = handoff.level === "urgent" ? "urgent" : "emergency";
    var heading = handoff.line === "988" ? "Call or text 988 now" : CARD_HEADINGS[level];
    var card = el("div", {"class": "bpw-card bpw-card-" + level},
                  [el("h3", {"class": "bpw-card-title", text: heading})]);
    (handoff.phones || []).forEach(function (phone) {
      phone = String(phone);
      // The number never breaks across lines; the name may wrap above it.
      var name = phone === "911" ? "Call" : phone === "988" ? "Call or text" : "CareLine";
      card.appendChild(telLink(phone, [name + " ", number(phone)], "bpw-call"));
    });
    if (handoff.tty) {
      card.appendChild(telLink(String(handoff.tty), ["TTY ", number(String(handoff.tty))], "bpw-tty"));
    }
    return card;
  }

  // ---- talking to the server

  var queue = Promise.resolve(); // one request at a time keeps the turns in order
  var pending = 0;

  function request(url, options) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller && setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    if (controller) options.signal = controller.signal;
    return fetch(url, options).then(function (response) {
      if (timer) clearTimeout(timer);
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }, function (error) {
      if (timer) clearTimeout(timer);
      throw error;
    });
  }

  function submit(message, shownAs) {
    if (!message.trim()) return;
    var session = sessionId();
    queue = queue.then(loadHistory).then(function () {
      addUser(shownAs || message);
      typing(1);
      return request(BASE + "webhook", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({session_id: session, message: message})
      }).then(function (messages) {
        if (session !== readSession()) return; // "Start over" came in between
        var first = messages.map(addBot).filter(Boolean)[0];
        if (first) reveal(first);
      }).catch(addFailure).then(function () { typing(-1); });
    }).catch(function () { /* never leave the queue rejected: later messages must still go */ });
  }

  function typing(delta) {
    pending += delta;
    status.textContent = pending > 0 ? "Assistant is typing\u2026" : "";
  }

  // The history is fetched once per session, when the panel is first opened.
  function loadHistory() {
    if (historyShown) return historyShown;
    var id = readSession();
    if (!id) return (historyShown = Promise.resolve());
    log.setAttribute("aria-busy", "true"); // screen readers need not read out the whole history
    historyShown = request(BASE + "history?session_id=" + encodeURIComponent(id), {method: "GET"})
      .then(function (data) {
        if (id !== readSession()) return;
        (data.messages || []).forEach(function (message) {
          if (message.from === "user") addUser(String(message.text || ""));
          else addBot(message);
        });
      }, function () { /* no history is fine: the person can still write */ })
      .then(function () { log.removeAttribute("aria-busy"); });
    return historyShown;
  }

  // ---- opening, closing, starting over

  function open(moveFocus) {
    panel.hidden = false;
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("bpw-open");
    queue = queue.then(loadHistory);
    if (moveFocus) input.focus();
  }

  function closePanel() {
    panel.hidden = true;
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("bpw-open");
    launcher.focus();
  }

  function clearLog() {
    while (log.firstChild) log.removeChild(log.firstChild);
    shown();
  }

  launcher.addEventListener("click", function () { open(true); });
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      closePanel();
    }
  });
  restart.addEventListener("click", function () {
    writeSession(newSessionId());
    historyShown = Promise.resolve(); // a brand-new session has no history to fetch
    clearLog();
    status.textContent = "Started a new conversation.";
    input.value = "";
    input.focus();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = "";
    submit(text);
  });
  // "Start over" in another tab of the site: follow it here too.
  window.addEventListener("storage", function (event) {
    if (event.key !== STORAGE_KEY) return;
    historyShown = null;
    clearLog();
    if (!panel.hidden) queue = queue.then(loadHistory);
  });

  // ---- start: show the launcher once our stylesheet is in, so it never flashes unstyled

  var css = el("link", {rel: "stylesheet", href: BASE + "widget.css"});
  css.addEventListener("load", function () { root.hidden = false; });
  css.addEventListener("error", function () { root.hidden = false; });
  document.head.appendChild(css);

  function mount() {
    document.body.appendChild(root);
    if (config.open) open(false); // opened by the page, not by the person: do not steal focus
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
