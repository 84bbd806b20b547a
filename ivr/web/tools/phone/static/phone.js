// The web phone: a keypad that plays a call through the line's real webhooks.
// The server runs Twilio's part (the call driver); this page shows and speaks what the line
// says, runs the Gather timeout as a countdown, and sends each key, silence and dial outcome.
"use strict";
(() => {
  const $ = (selector) => document.querySelector(selector);
  const csrf = $("meta[name=csrf-token]").content;
  const transcript = $("[data-role=transcript]");
  const status = $("[data-role=status]");
  const countdown = $("[data-role=countdown]");
  const seconds = $("[data-role=seconds]");
  const transfer = $("[data-role=transfer]");
  const options = $("[data-role=options]");
  let state = null; // the call's signed state (null: no call)
  let wait = null; // what the line waits for
  let timer = null;
  let generation = 0; // a new move makes older speech and timers stale
  let queue = Promise.resolve(); // moves are sent one at a time, in order
  let callbackShown = false;
  let callNumber = 0; // answers that arrive after hanging up belong to an old call

  function add(kind, text, language = "") {
    const item = document.createElement("li");
    item.dataset.kind = kind;
    if (language) {
      item.lang = language; // a <Say>'s language: screen readers read it so too
      item.dir = "auto"; // Arabic runs from right to left
    }
    if (kind === "twiml") {
      const pre = document.createElement("pre");
      pre.textContent = text;
      item.appendChild(pre);
    } else {
      item.textContent = text;
    }
    transcript.appendChild(item);
    transcript.scrollTop = transcript.scrollHeight;
  }

  function setStatus(text) {
    status.textContent = text;
  }

  function enableKeys(on) {
    document.querySelectorAll("[data-key]").forEach((b) => (b.disabled = !on));
    $("[data-action=hangup]").disabled = !on;
    $("[data-action=call]").disabled = on;
    document.body.dataset.state = on ? "call" : "idle";
  }

  function stopWaiting() {
    generation += 1;
    clearInterval(timer);
    timer = null;
    countdown.hidden = true;
    if (window.speechSynthesis) window.speechSynthesis.cancel();
  }

  // The browser's voice for a <Say>'s language ("en-GB"): that one, else the same language
  // of another country ("en-US"); none when reading aloud is off or the browser has none.
  function voiceFor(language) {
    if (!window.speechSynthesis || !$("[data-role=speak]").checked) return null;
    const code = (lang) => lang.toLowerCase().replace("_", "-");
    const wanted = code(language);
    const voices = window.speechSynthesis.getVoices();
    return (
      voices.find((v) => code(v.lang) === wanted) ||
      voices.find((v) => code(v.lang).split("-")[0] === wanted.split("-")[0])
    );
  }

  function sound(heard, mine) {
    return new Promise((done) => {
      if (mine !== generation) return done();
      if (heard.kind === "play" && heard.url && $("[data-role=speak]").checked) {
        const audio = new Audio(heard.url);
        audio.onended = audio.onerror = done;
        audio.play().catch(done);
        return;
      }
      const language = heard.language || "nl-NL";
      const voice = voiceFor(language);
      if (!voice) {
        noVoiceFor(language);
        return done(); // the text in the transcript is all there is
      }
      const said = new SpeechSynthesisUtterance(heard.text);
      said.lang = language;
      said.voice = voice;
      said.onend = said.onerror = done;
      window.speechSynthesis.speak(said);
    });
  }

  // Reading aloud is on, the browser has voices, but none for this language: say so.
  function noVoiceFor(language) {
    if (!window.speechSynthesis || !$("[data-role=speak]").checked) return;
    if (window.speechSynthesis.getVoices().length === 0) return; // not loaded (yet)
    $("[data-role=voice-note]").textContent =
      `Deze browser heeft geen stem voor ${language}: u leest wat de lijn zegt.`;
  }

  async function speakAll(heard, mine) {
    for (const item of heard) await sound(item, mine);
  }

  function startCountdown(mine) {
    if (mine !== generation || !wait || wait.kind !== "gather") return;
    let left = wait.timeout;
    const typed = wait.digits ? `Getoetst: ${wait.digits}. ` : "";
    const tick = () => {
      seconds.textContent = `${typed}Stilte: nog ${left} ${left === 1 ? "seconde" : "seconden"}`;
    };
    countdown.hidden = false;
    tick();
    timer = setInterval(() => {
      left -= 1;
      if (left > 0) return tick();
      stopWaiting();
      move("silence", {}, "(stilte)");
    }, 1000);
  }

  function show(data) {
    data.twiml.forEach((t) => add("twiml", `${t.url}\n${t.xml}`));
    data.heard.forEach((h) =>
      add(h.kind === "play" ? "play" : "say", h.text || h.url, h.language),
    );
    data.sms.forEach((text) => add("sms", `Sms (niet verstuurd): ${text}`));
    if (data.callback && !callbackShown) {
      callbackShown = true;
      add(
        "callback",
        `Terugbelverzoek genoteerd: ${data.callback.phone}, bij ${data.callback.reached}. ` +
          "(Alleen hier: het komt niet op de werklijst van de helpdesk.)",
      );
    }
    state = data.state;
    wait = data.wait;
    transcript.dataset.turns = String(Number(transcript.dataset.turns) + 1);
    transfer.hidden = !(wait && wait.kind === "dial");
    if (!state) {
      add("note", data.ended === "hangup" ? "De lijn hangt op." : "Het gesprek is afgelopen.");
      setStatus("Het gesprek is afgelopen. Druk op de groene knop om opnieuw te bellen.");
      enableKeys(false);
      return;
    }
    if (wait.kind === "dial") {
      $("[data-role=service]").textContent = wait.service;
      $("[data-role=dialled]").textContent = `Nummer: ${wait.number}`;
      // A plain <Dial><Number> (no whisper url): the call is put through as soon as someone
      // answers, so there is nothing to hear first and nothing to decline.
      const screened = wait.whisper.length > 0;
      $("[data-role=whisper]").textContent = wait.whisper.join(" ");
      $("[data-role=screened]").hidden = !screened;
      $("[data-role=plain]").hidden = screened;
      $("[data-outcome=declined]").hidden = !screened;
      const completed = $("[data-outcome=completed]");
      completed.dataset.label ??= completed.textContent.trim();
      completed.textContent = screened ? completed.dataset.label : "Neemt op";
      setStatus(`Doorverbinden met ${wait.service}…`);
      return;
    }
    setStatus("De lijn wacht op een toets.");
    const mine = generation;
    speakAll(data.heard, mine).then(() => startCountdown(mine));
  }

  function move(how, body, said) {
    const mine = callNumber;
    queue = queue.then(async () => {
      if (mine !== callNumber || (how !== "start" && !state)) return;
      if (said) add("you", said);
      const sent = performance.now();
      try {
        const response = await fetch(`/phone/api/${how}`, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify({ ...body, state }),
        });
        const data = await response.json();
        if (mine !== callNumber) return;
        if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
        transcript.dataset.ms = String(Math.round(performance.now() - sent)); // for testers
        show(data);
      } catch (error) {
        add("note", `Er ging iets mis: ${error.message}`);
        if (!state) enableKeys(false);
      }
    });
  }

  function call() {
    if (state) return;
    callNumber += 1;
    stopWaiting();
    transcript.replaceChildren();
    callbackShown = false;
    transcript.dataset.turns = "0";
    enableKeys(true);
    setStatus("U belt de lijn…");
    const moment = $("#moment").value;
    const chosen = $("#language") ? $("#language").selectedOptions[0] : null;
    const language = chosen ? chosen.value : "";
    const number = language ? ` het nummer voor het ${chosen.dataset.name}` : "";
    add("you", `U belt${number}${moment ? ` op ${moment.replace("T", " om ")}` : ""}.`);
    const path = options.dataset.path || "";
    const version = options.dataset.version || ""; // an editor's draft: /phone?v=<id>
    move("start", { caller: $("#caller").value, moment, path, language, version });
  }

  function press(key) {
    if (!state || !wait || wait.kind !== "gather") return;
    stopWaiting();
    move("key", { key }, `U toetst ${key}`);
  }

  function hangup() {
    callNumber += 1;
    stopWaiting();
    if (state) add("note", "U hangt op.");
    state = null;
    wait = null;
    transfer.hidden = true;
    enableKeys(false);
    setStatus("Opgehangen. Druk op de groene knop om opnieuw te bellen.");
  }

  document.querySelectorAll("[data-key]").forEach((b) =>
    b.addEventListener("click", () => press(b.dataset.key)),
  );
  document.querySelectorAll("[data-outcome]").forEach((b) =>
    b.addEventListener("click", () => {
      transfer.hidden = true;
      move("dial", { outcome: b.dataset.outcome }, `Doorverbinden: ${b.textContent.trim()}`);
    }),
  );
  document.querySelectorAll("[data-moment]").forEach((b) =>
    b.addEventListener("click", () => ($("#moment").value = b.dataset.moment)),
  );
  function voiceNote() {
    const found = window.speechSynthesis && window.speechSynthesis.getVoices().length > 0;
    const dutch = found && voiceFor("nl-NL");
    $("[data-role=voice-note]").textContent =
      found && !dutch && $("[data-role=speak]").checked
        ? "Deze browser heeft geen Nederlandse stem: u leest wat de lijn zegt."
        : "";
  }
  if (window.speechSynthesis) {
    window.speechSynthesis.addEventListener("voiceschanged", voiceNote);
    voiceNote(); // also asks the browser to load its voices
  }
  $("[data-role=speak]").addEventListener("change", voiceNote);
  $("[data-action=call]").addEventListener("click", call);
  $("[data-action=hangup]").addEventListener("click", hangup);
  $("[data-action=skip]").addEventListener("click", () => {
    if (!timer) return;
    stopWaiting();
    move("silence", {}, "(stilte, wachten overgeslagen)");
  });
  $("[data-role=show-twiml]").addEventListener("change", (e) => {
    document.body.classList.toggle("show-twiml", e.target.checked);
  });
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select")) return;
    if (/^[0-9*#]$/.test(e.key)) press(e.key);
    else if (e.key === "Escape") hangup();
    else if (e.key === "Enter" && !state) call();
  });
})();
