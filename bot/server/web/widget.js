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
 *
 * Keyboard: the open panel is a modal dialog (Tab wraps inside it, Escape
 * closes it). The conversation log is one Tab stop (Enter on it lets Tab go
 * through its links), so the newest reply's quick replies, in their own bar
 * between the log and the text box, are one Tab away; arrow keys move
 * between them.
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

  // Exercise steps are written inline: "Pelvic tilt: 1. Lie on your back. ... 2. Tighten ...".
  // A step number starts the text or a line, or follows a colon or the end of
  // a sentence; numbers must run 1, 2, 3... so "Hold 5-10 seconds." is never a step.
  var STEP = /(^|\s)(\d{1,2})[.)]\s+(?=\S)/g;

  function numberedSteps(text) {
    var marks = []; // [where the marker starts, where its step text starts]
    var match;
    STEP.lastIndex = 0;
    while ((match = STEP.exec(text)) !== null) {
      var start = match.index + match[1].length;
      if (Number(match[2]) !== marks.length + 1) continue;
      if (!/(^|[:.!?\n])[ \t]*$/.test(text.slice(0, start))) continue;
      marks.push([start, match.index + match[0].length]);
    }
    if (marks.length < 2) return null;
    return {
      intro: text.slice(0, marks[0][0]).trim(),
      steps: marks.map(function (mark, i) {
        return text.slice(mark[1], i + 1 < marks.length ? marks[i + 1][0] : text.length).trim();
      })
    };
  }

  // A bot text: a paragraph, or a paragraph and a numbered list of its steps.
  function messageText(text) {
    var found = numberedSteps(text);
    if (!found) return el("p", {"class": "bpw-text"}, [richText(text)]);
    var list = el("ol", {"class": "bpw-steps"}, found.steps.map(function (step) {
      return el("li", {}, [richText(step)]);
    }));
    return el("div", {"class": "bpw-text"},
              found.intro ? [el("p", {}, [richText(found.intro)]), list] : [list]);
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
  var restart = el("button", {type: "button", "class": "bpw-restart", text: "Start over",
                              "aria-expanded": "false", "aria-controls": "bpw-confirm"});
  var close = el("button", {type: "button", "class": "bpw-close", "aria-label": "Close chat"},
                 [el("span", {"aria-hidden": "true", text: "\u00D7"})]);
  var notice = el("p", {"class": "bpw-notice"},
                  ["Not for emergencies. If this is an emergency, call ", telLink("911"), "."]);
  // "Start over" asks first, inside the panel: a browser's confirm() box looks like the site's own.
  var confirmYes = el("button", {type: "button", "class": "bpw-confirm-yes", text: "Start over"});
  var confirmNo = el("button", {type: "button", "class": "bpw-confirm-no", text: "Cancel"});
  var confirmBox = el("div", {id: "bpw-confirm", "class": "bpw-confirm", role: "group",
                              "aria-labelledby": "bpw-confirm-text", hidden: ""}, [
    el("p", {id: "bpw-confirm-text", "class": "bpw-confirm-text",
             text: "Start a new conversation? This clears the chat on this device."}),
    el("div", {"class": "bpw-confirm-buttons"}, [confirmYes, confirmNo])]);
  // Shown only when the greeting could not be fetched and there is no history.
  var empty = el("p", {"class": "bpw-empty", hidden: "",
                       text: "Ask a question about back pain, for example: Do I need bed rest?"});
  var log = el("div", {"class": "bpw-log", role: "log", "aria-live": "polite",
                       "aria-label": "Conversation", tabindex: "0"});
  // Shown while the log has keyboard focus and holds links (see linkStops).
  var logHint = el("p", {id: "bpw-log-hint", "class": "bpw-log-hint",
                         text: "Press Enter to go through the links in the conversation."});
  var status = el("p", {"class": "bpw-status", role: "status", "aria-live": "polite"});
  // The newest reply's quick replies: one Tab stop, arrow keys between them.
  var bar = el("div", {"class": "bpw-replies", role: "group", "aria-label": "Quick replies", hidden: ""});
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
    confirmBox, notice, empty, log, logHint, status, bar, form]);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ---- messages

  function addUser(text) {
    clearReplies(); // a new turn: earlier quick replies can no longer be used
    log.appendChild(el("div", {"class": "bpw-msg bpw-user"},
                       [el("span", {"class": "bpw-sr", text: "You: "}), text]));
    shown();
  }

  function addBot(message, className) {
    var node = el("div", {"class": "bpw-msg bpw-bot" + (className ? " " + className : "")},
                  [el("span", {"class": "bpw-sr", text: "Assistant: "})]);
    // The call card at the top of its bubble: what to do comes before why.
    var handoff = message.custom && message.custom.handoff;
    if (handoff) node.appendChild(callCard(handoff));
    if (message.text) node.appendChild(messageText(String(message.text)));
    var titles = buttonsOf(message).map(function (button) { return String(button.title); });
    if (titles.length) {
      // Screen readers hear that there are choices, and where they are.
      node.appendChild(el("span", {"class": "bpw-sr bpw-choices",
                                   text: " You can pick a quick reply after the conversation: " +
                                         titles.join(", ") + "."}));
    }
    if (node.childNodes.length === 1) return null; // nothing we know how to show
    log.appendChild(node);
    shown();
    return node;
  }

  function buttonsOf(message) {
    return (message.buttons || []).filter(function (button) { return button && button.title; });
  }

  // One reply of the assistant: its call cards first, so in an emergency the
  // number is seen before the explanation; its quick replies go in the bar.
  // Returns the reply's first bubble.
  function showReply(messages, className) {
    clearReplies();
    var cards = messages.filter(function (m) { return m.custom && m.custom.handoff; });
    var rest = messages.filter(function (m) { return !(m.custom && m.custom.handoff); });
    var nodes = cards.concat(rest).map(function (m) { return addBot(m, className); }).filter(Boolean);
    setReplies([].concat.apply([], messages.map(buttonsOf)));
    return nodes[0];
  }

  function addFailure() {
    clearReplies();
    log.appendChild(el("div", {"class": "bpw-msg bpw-bot bpw-error"},
                       [el("span", {"class": "bpw-sr", text: "Assistant: "}),
                        el("p", {"class": "bpw-text"}, [richText(FAILURE_TEXT)])]));
    shown();
  }

  function shown() {
    empty.hidden = log.childNodes.length > 0;
    linkStops(false);
    log.scrollTop = log.scrollHeight;
  }

  // A long reply (a red flag's call card and advice) is read from its start:
  // if its first message scrolled out of view, bring it back to the top.
  function reveal(first) {
    var gap = first.getBoundingClientRect().top - log.getBoundingClientRect().top;
    if (gap < 0) log.scrollTop += gap - 8;
  }

  // ---- the links in the log: not Tab stops of their own, so Tab goes from
  // the log straight to the quick replies. Enter on the log makes them Tab
  // stops until focus leaves the log or comes back to it (Escape).

  function linkStops(on) {
    var links = log.querySelectorAll("a[href]");
    for (var i = 0; i < links.length; i++) links[i].tabIndex = on ? 0 : -1;
    var has = links.length > 0;
    log.classList.toggle("bpw-has-links", has);
    if (has) log.setAttribute("aria-describedby", "bpw-log-hint");
    else log.removeAttribute("aria-describedby");
    return links;
  }

  // The first link in view, or the newest one: where the person is reading.
  function linkInView(links) {
    var box = log.getBoundingClientRect();
    for (var i = 0; i < links.length; i++) {
      var r = links[i].getBoundingClientRect();
      if (r.top >= box.top && r.bottom <= box.bottom) return links[i];
    }
    return links[links.length - 1];
  }

  log.addEventListener("keydown", function (event) {
    if (event.target === log && event.key === "Enter") {
      var links = linkStops(true);
      if (!links.length) return;
      event.preventDefault();
      linkInView(links).focus();
    } else if (event.target !== log && (event.key === "Escape" || event.key === "Esc")) {
      event.preventDefault();
      event.stopPropagation(); // back to the log, not out of the panel
      log.focus();
    }
  });
  log.addEventListener("focus", function () { linkStops(false); });
  log.addEventListener("focusout", function (event) {
    if (!log.contains(event.relatedTarget)) linkStops(false);
  });

  // ---- quick replies: only the newest reply's can be used. One reply can
  // hold several messages with buttons; the bar shows them all.

  function setReplies(buttons) {
    buttons.forEach(function (button) {
      var chip = el("button", {type: "button", "class": "bpw-reply", tabindex: bar.firstChild ? "-1" : "0",
                               text: String(button.title)});
      chip.addEventListener("click", function () {
        input.focus(); // the chip goes away; keep the keyboard in the text box
        clearReplies(); // at once, so a double click cannot send it twice
        submit(String(button.payload || button.title), String(button.title));
      });
      bar.appendChild(chip);
    });
    bar.hidden = !bar.firstChild;
  }

  function clearReplies() {
    while (bar.firstChild) bar.removeChild(bar.firstChild);
    bar.hidden = true;
    var notes = log.querySelectorAll(".bpw-choices");
    for (var i = 0; i < notes.length; i++) notes[i].parentNode.removeChild(notes[i]);
  }

  // Roving tabindex: the arrow keys, Home and End move between the chips.
  var MOVES = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last"};
  bar.addEventListener("keydown", function (event) {
    var chips = Array.prototype.slice.call(bar.querySelectorAll(".bpw-reply"));
    var from = chips.indexOf(document.activeElement);
    var move = MOVES[event.key];
    if (from < 0 || move === undefined) return;
    event.preventDefault();
    var to = move === "first" ? 0 : move === "last" ? chips.length - 1
      : (from + move + chips.length) % chips.length;
    chips[from].tabIndex = -1;
    chips[to].tabIndex = 0;
    chips[to].focus();
  });

  // ---- the call card

  function number(phone) {
    return el("span", {"class": "bpw-number", text: phone});
  }

  // tel: links do nothing on most desktops: there the card says which number
  // to dial from a phone. A touch screen gets tap-to-call buttons.
  function canTapToCall() {
    return !(window.matchMedia && window.matchMedia("(hover: hover) and (pointer: fine)").matches);
  }

  var CARD_HEADINGS = {emergency: "Call 911 now", urgent: "Talk to a CareLine nurse now"};

  function callCard(handoff) {
    var level = handoff.level === "urgent" ? "urgent" : "emergency";
    var heading = handoff.line === "988" ? "Call or text 988 now" : CARD_HEADINGS[level];
    var tap = canTapToCall();
    var card = el("div", {"class": "bpw-card bpw-card-" + level + (tap ? "" : " bpw-card-dial")},
                  [el("h3", {"class": "bpw-card-title", text: heading})]);
    (handoff.phones || []).forEach(function (phone, i) {
      phone = String(phone);
      if (tap) {
        // The number never breaks across lines; the name may wrap above it.
        var name = phone === "911" ? "Call" : phone === "988" ? "Call or text" : "CareLine";
        card.appendChild(telLink(phone, [name + " ", number(phone)], "bpw-call"));
      } else {
        var words = i === 0 ? (phone === "988" ? "From your phone, call or text" : "From your phone, dial")
          : phone === "911" ? "Emergency" : phone === "988" ? "Crisis line" : "CareLine";
        card.appendChild(el("p", {"class": "bpw-dial" + (i === 0 ? " bpw-dial-first" : "")},
                            [words + " ", telLink(phone, [number(phone)], "bpw-dial-number")]));
      }
    });
    if (handoff.tty) {
      card.appendChild(telLink(String(handoff.tty), ["TTY ", number(String(handoff.tty))], "bpw-tty"));
    }
    // The escalation's reference code ("K7Q-4MP") lets the nurse find this chat.
    var code = typeof handoff.code === "string" ? handoff.code.trim() : "";
    if (/^[A-Za-z0-9-]{1,16}$/.test(code)) {
      card.appendChild(el("p", {"class": "bpw-code"},
                          ["Your reference code: ", el("strong", {text: code})]));
      card.appendChild(el("p", {"class": "bpw-code-why",
                                text: "Give it to the CareLine nurse so they can see this chat."}));
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
    queue = queue.then(loadConversation).then(function () {
      addUser(shownAs || message);
      typing(1);
      return request(BASE + "webhook", {
        method: "POST",
        headers: {"Content-Type": "application/json"},
        body: JSON.stringify({session_id: session, message: message})
      }).then(function (messages) {
        if (session !== readSession()) return; // "Start over" came in between
        var first = showReply(messages);
        if (first) reveal(first);
      }).catch(addFailure).then(function () { typing(-1); });
    }).catch(function () { /* never leave the queue rejected: later messages must still go */ });
  }

  function typing(delta) {
    pending += delta;
    status.textContent = pending > 0 ? "Assistant is typing\u2026" : "";
  }

  // The greeting is the same for everyone: fetched once per page, and again
  // only if it failed. Reading it stores nothing on the server.
  var greeting = null;
  function fetchGreeting() {
    if (!greeting) {
      greeting = request(BASE + "greeting", {method: "GET"}).then(function (data) {
        return data.messages || [];
      }, function () {
        greeting = null;
        return [];
      });
    }
    return greeting;
  }

  // The greeting and the history are shown once per session, when the panel is
  // first opened. `generation` changes when the log is cleared, so an answer
  // for a conversation that was started over is dropped.
  var conversationShown = null;
  var generation = 0;

  function loadConversation() {
    if (!conversationShown) {
      var id = readSession();
      conversationShown = showConversation(id ? fetchHistory(id) : Promise.resolve([]));
    }
    return conversationShown;
  }

  function fetchHistory(id) {
    log.setAttribute("aria-busy", "true"); // screen readers need not read out the whole history
    return request(BASE + "history?session_id=" + encodeURIComponent(id), {method: "GET"})
      .then(function (data) { return data.messages || []; },
            function () { return []; }); // no history is fine: the person can still write
  }

  function showConversation(history) {
    var shownFor = generation;
    return Promise.all([fetchGreeting(), history]).then(function (results) {
      if (shownFor !== generation) return;
      if (results[0].length) showReply(results[0], "bpw-greeting");
      var reply = []; // the bot messages since the last user message
      results[1].forEach(function (message) {
        if (message.from === "user") {
          if (reply.length) showReply(reply);
          reply = [];
          addUser(String(message.text || ""));
        } else {
          reply.push(message);
        }
      });
      if (reply.length) showReply(reply);
      shown();
    }).then(function () { log.removeAttribute("aria-busy"); });
  }

  // ---- opening, closing, starting over

  function open(moveFocus) {
    panel.hidden = false;
    panel.setAttribute("aria-modal", "true");
    launcher.hidden = true;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add("bpw-open");
    queue = queue.then(loadConversation);
    if (moveFocus) input.focus();
  }

  function closePanel() {
    hideConfirm();
    panel.hidden = true;
    panel.removeAttribute("aria-modal");
    launcher.hidden = false;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove("bpw-open");
    launcher.focus();
  }

  function clearLog() {
    generation++;
    conversationShown = null;
    clearReplies();
    while (log.firstChild) log.removeChild(log.firstChild);
    shown();
  }

  function hideConfirm() {
    confirmBox.hidden = true;
    restart.setAttribute("aria-expanded", "false");
  }

  function cancelStartOver() {
    hideConfirm();
    restart.focus();
  }

  function startOver() {
    hideConfirm();
    writeSession(newSessionId());
    clearLog();
    // A brand-new session has no history to fetch; the greeting is already here.
    conversationShown = showConversation(Promise.resolve([]));
    status.textContent = "Started a new conversation.";
    input.value = "";
    input.focus();
  }

  // The elements Tab can reach in the panel, in order (hidden ones have no boxes).
  function tabStops() {
    return Array.prototype.filter.call(panel.querySelectorAll("a[href], button, input, [tabindex]"),
      function (node) { return node.tabIndex >= 0 && !node.disabled && node.getClientRects().length > 0; });
  }

  launcher.addEventListener("click", function () { open(true); });
  close.addEventListener("click", closePanel);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") {
      event.preventDefault();
      if (!confirmBox.hidden) cancelStartOver(); // Escape closes the innermost thing first
      else closePanel();
    } else if (event.key === "Tab") {
      // A modal dialog: Tab from the last stop wraps to the first, and back.
      var stops = tabStops();
      var first = stops[0], last = stops[stops.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  restart.addEventListener("click", function () {
    confirmBox.hidden = false;
    restart.setAttribute("aria-expanded", "true");
    confirmNo.focus(); // the safe choice, should Enter be pressed twice
  });
  confirmYes.addEventListener("click", startOver);
  confirmNo.addEventListener("click", cancelStartOver);
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
    clearLog();
    if (!panel.hidden) queue = queue.then(loadConversation);
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
