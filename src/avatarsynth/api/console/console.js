// avatarsynth studio: a client of the public API and nothing else (same routes, same key).
// No framework and no build step: the service ships this file as it is.

const API_VERSION = "2024-08-01";
const KEY_SLOT = "avatarsynth.key";
const CODECS = { mp4: ["h264", "hevc", "av1"], webm: ["vp9", "av1"] };
const FINISHED = new Set(["Succeeded", "Failed"]);
const $ = (id) => document.getElementById(id);

const state = { characters: [], portraits: [], voices: [], jobs: new Map(), timer: 0, playing: null };
const PHOTO = "photo:";

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// ---- API ---------------------------------------------------------------------------------

async function api(method, path, body) {
  const headers = { "Ocp-Apim-Subscription-Key": sessionStorage.getItem(KEY_SLOT) || "" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, "Unreachable", "Cannot reach the service. Is it running?");
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "Error", error.message || `The service answered ${response.status}.`);
  }
  return data;
}

const jobsPath = (id) => `/avatar/batchsyntheses${id ? "/" + encodeURIComponent(id) : ""}?api-version=${API_VERSION}`;

// ---- Sign in -----------------------------------------------------------------------------

function showSignin(message) {
  clearTimeout(state.timer);
  $("app").hidden = true;
  $("signin").hidden = false;
  $("signin-error").hidden = !message;
  $("signin-error").textContent = message || "";
  $("signin-key").focus();
}

async function signIn(key) {
  sessionStorage.setItem(KEY_SLOT, key);
  try {
    const [catalog, voices] = await Promise.all([
      api("GET", "/avatar/characters"),
      api("GET", "/cognitiveservices/voices/list"),
    ]);
    state.characters = catalog.characters;
    state.voices = voices;
    state.portraits = await api("GET", "/avatar/photos").then((found) => found.photos, () => []);
  } catch (error) {
    sessionStorage.removeItem(KEY_SLOT);
    showSignin(error.message);
    return;
  }
  $("signin").hidden = true;
  $("app").hidden = false;
  $("key-label").textContent = `key …${key.slice(-4)}`;
  buildComposer();
  await refreshJobs();
}

function signOut(message) {
  sessionStorage.removeItem(KEY_SLOT);
  state.jobs.clear();
  $("jobs").replaceChildren();
  closePlayer();
  showSignin(message);
}

// A 401 while signed in (the key was revoked) sends the user back to sign in, with the reason.
function report(error, where = "banner") {
  if (error.status === 401) return signOut(error.message);
  if (where === "composer") {
    $("composer-error").textContent = error.message;
    $("composer-error").hidden = false;
    return;
  }
  $("banner-text").textContent = error.message;
  $("banner").hidden = false;
}

// ---- Composer: avatar ---------------------------------------------------------------------

// A portrait (a photo avatar) is offered as a character without styles or gestures.
function character() {
  const value = document.querySelector("input[name=character]:checked")?.value || "";
  if (value.startsWith(PHOTO)) return { name: value.slice(PHOTO.length), photo: true, styles: [] };
  return state.characters.find((c) => c.name === value);
}
const style = () => character()?.styles.find((s) => s.name === $("style").value);

function card(value, name, image, checked) {
  const label = document.createElement("label");
  label.className = "character";
  label.innerHTML = `<input type="radio" name="character"><img alt="" loading="lazy"><span></span>`;
  label.querySelector("input").value = value;
  label.querySelector("input").checked = checked;
  label.querySelector("img").src = image;
  label.querySelector("span").textContent = name;
  return label;
}

function buildComposer() {
  const box = $("characters");
  box.replaceChildren(
    ...state.characters.map((c, i) => card(c.name, c.name, c.styles[0].previewUrl, i === 0)),
    ...state.portraits.map((p) => card(PHOTO + p.name, `${p.name} (photo)`, p.previewUrl, false)),
  );
  fillLocales();
  onCharacter();
}

function onCharacter() {
  const chosen = character();
  if (!chosen) return;
  fill($("style"), chosen.photo ? [["", "Photo avatar"]] : chosen.styles.map((s) => [s.name, s.name || "Full body (no style)"]));
  $("style").disabled = Boolean(chosen.photo);
  onStyle();
  if (chosen.defaultVoice) pickVoice(chosen.defaultVoice);
}

function onStyle() {
  const chosen = style() || { posture: "head and shoulders, 512×512", gestures: [] };
  const image = document.querySelector("input[name=character]:checked + img");
  if (image && chosen.previewUrl) image.src = chosen.previewUrl;
  $("style-meta").textContent = `${chosen.posture} · ${chosen.gestures.length} gestures`;
  fill($("gesture"), chosen.gestures.map((g) => [g, g]));
  $("gesture").disabled = $("gesture-insert").disabled = chosen.gestures.length === 0;
  if (chosen.gestures.length === 0) fill($("gesture"), [["", "No gestures in this style"]]);
}

function fill(select, pairs, keep = true) {
  const previous = select.value;
  select.replaceChildren(...pairs.map(([value, text]) => new Option(text, value)));
  if (keep && pairs.some(([value]) => value === previous)) select.value = previous;
}

// ---- Composer: voice ----------------------------------------------------------------------

function fillLocales() {
  const names = new Map(state.voices.map((v) => [v.Locale, v.LocaleName]));
  const sorted = [...names].sort((a, b) => a[1].localeCompare(b[1]));
  fill($("locale"), sorted.map(([locale, name]) => [locale, `${name} (${locale})`]));
  $("locale").value = names.has("en-US") ? "en-US" : sorted[0][0];
  fillVoices();
}

function fillVoices() {
  const locale = $("locale").value;
  const gender = $("gender").value;
  const matching = state.voices.filter((v) => v.Locale === locale && (!gender || v.Gender === gender));
  fill($("voice"), matching.map((v) => [v.ShortName, `${v.DisplayName} · ${v.Gender}`]));
  onVoice();
}

function pickVoice(name) {
  const voice = state.voices.find((v) => v.ShortName === name);
  if (!voice) return;
  $("locale").value = voice.Locale;
  $("gender").value = voice.Gender;
  fillVoices();
  $("voice").value = name;
  onVoice();
}

function onVoice() {
  const voice = state.voices.find((v) => v.ShortName === $("voice").value);
  const fallback = character()?.defaultVoice;
  $("voice-hint").textContent = voice
    ? `${voice.ShortName}, spoken here by the ${voice.Engine} engine.` + (fallback ? ` ${cap(character().name)}'s default voice is ${fallback}.` : "")
    : "No voice matches; choose another language or gender.";
  if (isSsml()) $("script").value = $("script").value.replace(/(<voice\s+name=)(["'])[^"']*\2/, `$1$2${$("voice").value}$2`);
}

// ---- Composer: script and gestures ------------------------------------------------------

const isSsml = () => $("kind-ssml").checked;
const escapeXml = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function ssmlHead() {
  const voice = $("voice").value || "en-US-AvaMultilingualNeural";
  return `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${voice.slice(0, 5)}">\n<voice name="${voice}">\n`;
}

// Plain text becomes SSML around it (the caret keeps its place in the text); SSML becomes its words.
function toSsml(caret) {
  const text = $("script").value;
  const head = ssmlHead();
  $("script").value = head + escapeXml(text) + "\n</voice>\n</speak>";
  $("kind-ssml").checked = true;
  return head.length + escapeXml(text.slice(0, caret)).length;
}

function toPlain() {
  const doc = new DOMParser().parseFromString($("script").value, "application/xml");
  const failed = doc.querySelector("parsererror");
  $("script").value = failed ? $("script").value : doc.documentElement.textContent.trim();
  $("kind-plain").checked = true;
}

function insertGesture() {
  const name = $("gesture").value;
  if (!name) return;
  const area = $("script");
  let at = area.selectionStart;
  if (!isSsml()) at = toSsml(at);
  const mark = `<bookmark mark='gesture.${name}'/>`;
  area.value = area.value.slice(0, at) + mark + area.value.slice(at);
  area.focus();
  area.setSelectionRange(at + mark.length, at + mark.length);
}

// ---- Composer: output and submit ---------------------------------------------------------

function onFormat() {
  fill($("codec"), CODECS[$("format").value].map((c) => [c, c.toUpperCase()]));
}

function onBackground() {
  const kind = $("background-kind").value;
  $("background-colour-box").hidden = kind !== "colour";
  $("background-image-box").hidden = kind !== "image";
  if (kind === "transparent") {
    $("format").value = "webm";
    onFormat();
    $("codec").value = "vp9";
  }
}

function avatarConfig() {
  const chosen = character();
  const config = {
    talkingAvatarCharacter: chosen.name,
    ...(chosen.photo ? { photoAvatarBaseModel: "vasa-1", customized: true } : ($("style").value ? { talkingAvatarStyle: $("style").value } : {})),
    videoFormat: $("format").value,
    videoCodec: $("codec").value,
    subtitleType: $("subtitles").value,
  };
  const kind = $("background-kind").value;
  if (kind === "transparent") config.backgroundColor = "transparent";
  else if (kind === "image") config.backgroundImage = $("background-image").value.trim();
  else config.backgroundColor = $("background-colour").value.toUpperCase() + "FF";
  if ($("size").value) {
    const [x, y] = $("size").value.split("x").map(Number);
    config.resolution = { x, y };
  }
  return config;
}

function newJobId() {
  const now = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return `studio-${now}-${Math.random().toString(36).slice(2, 6)}`;
}

async function submit(event) {
  event.preventDefault();
  $("composer-error").hidden = true;
  const content = $("script").value.trim();
  if (!content) return report(new ApiError(400, "BadArgument", "Write a script first."), "composer");
  const body = {
    inputKind: isSsml() ? "SSML" : "PlainText",
    inputs: [{ content }],
    avatarConfig: avatarConfig(),
  };
  if (!isSsml()) body.synthesisConfig = { voice: $("voice").value };
  const title = $("title").value.trim();
  if (title) body.description = title;
  $("submit").disabled = true;
  $("submit").textContent = "Creating…";
  try {
    const job = await api("PUT", jobsPath(newJobId()), body);
    state.jobs.set(job.id, job);
    renderJobs();
    schedulePoll(500);
  } catch (error) {
    report(error, "composer");
  } finally {
    $("submit").disabled = false;
    $("submit").textContent = "Create video";
  }
}

// ---- Jobs --------------------------------------------------------------------------------

async function refreshJobs() {
  clearTimeout(state.timer);
  try {
    const page = await api("GET", jobsPath() + "&maxpagesize=100");
    state.jobs = new Map(page.value.map((job) => [job.id, job]));
    renderJobs();
  } catch (error) {
    report(error);
  }
  if (!$("app").hidden) schedulePoll();
}

// Poll fast while something renders, slowly otherwise (another client may add jobs).
function schedulePoll(delay) {
  clearTimeout(state.timer);
  const busy = [...state.jobs.values()].some((job) => !FINISHED.has(job.status));
  state.timer = setTimeout(refreshJobs, delay ?? (busy ? 1500 : 10000));
}

function renderJobs() {
  const list = $("jobs");
  const jobs = [...state.jobs.values()].sort((a, b) => b.createdDateTime.localeCompare(a.createdDateTime));
  const existing = new Map([...list.children].map((item) => [item.dataset.id, item]));
  jobs.forEach((job, index) => {
    const item = existing.get(job.id) || newJobItem(job.id);
    existing.delete(job.id);
    updateJobItem(item, job);
    if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
  });
  existing.forEach((item) => item.remove());
  $("jobs-empty").hidden = jobs.length > 0;
  if (state.playing && !state.jobs.has(state.playing)) closePlayer();
}

function newJobItem(id) {
  const item = $("job-template").content.firstElementChild.cloneNode(true);
  item.dataset.id = id;
  item.querySelector(".play").addEventListener("click", () => play(state.jobs.get(id)));
  item.querySelector(".delete").addEventListener("click", (event) => remove(id, event.currentTarget));
  return item;
}

function updateJobItem(item, job) {
  const props = job.properties || {};
  const outputs = job.outputs || {};
  item.querySelector(".job-title").textContent = job.description || job.id;
  item.querySelector(".job-id").textContent = job.description ? job.id : `${job.avatarConfig.talkingAvatarCharacter}, ${job.avatarConfig.talkingAvatarStyle || "photo"}`;
  const badge = item.querySelector(".status");
  badge.className = `status ${job.status}`;
  badge.textContent = statusText(job);
  updateProgress(item.querySelector(".progress"), job);
  item.querySelector(".job-meta").textContent = metaText(job);
  const error = item.querySelector(".job-error");
  error.hidden = !props.error;
  error.textContent = props.error ? props.error.message : "";
  link(item.querySelector(".dl-video"), outputs.result, `${job.id}.${job.avatarConfig.videoFormat.toLowerCase()}`);
  link(item.querySelector(".dl-summary"), outputs.summary, `${job.id}-summary.json`);
  link(item.querySelector(".dl-subtitles"), outputs.subtitle, `${job.id}.srt`);
  item.querySelector(".play").hidden = !outputs.result;
  item.querySelector(".play").setAttribute("aria-label", `Play ${job.description || job.id}`);
  item.querySelector(".delete").setAttribute("aria-label", `Delete ${job.description || job.id}`);
  item.classList.toggle("playing", state.playing === job.id);
}

function statusText(job) {
  const progress = job.properties?.progress;
  const labels = { NotStarted: "Waiting", Running: "Rendering", Succeeded: "Ready", Failed: "Failed" };
  const label = labels[job.status] || job.status;
  return job.status === "Running" && progress ? `${label} ${Math.floor(progress.percent)}%` : label;
}

function updateProgress(bar, job) {
  const progress = job.properties?.progress;
  bar.hidden = FINISHED.has(job.status) && !progress;
  bar.classList.toggle("indeterminate", !progress && !FINISHED.has(job.status));
  const percent = progress ? progress.percent : job.status === "Succeeded" ? 100 : 0;
  bar.querySelector(".progress-bar").style.width = progress || FINISHED.has(job.status) ? `${percent}%` : "";
  bar.setAttribute("role", "progressbar");
  bar.setAttribute("aria-label", `Progress of ${job.id}`);
  bar.setAttribute("aria-valuenow", String(Math.floor(percent)));
  bar.title = progress?.stage ? `${progress.stage}, ${Math.floor(percent)}%` : "";
}

function metaText(job) {
  const props = job.properties || {};
  const parts = [new Date(job.createdDateTime).toLocaleString([], { dateStyle: "medium", timeStyle: "short" })];
  if (props.durationInMilliseconds !== undefined) parts.push(clock(props.durationInMilliseconds));
  if (props.sizeInBytes !== undefined) parts.push(size(props.sizeInBytes));
  parts.push(`${job.avatarConfig.videoFormat.toUpperCase()} ${job.avatarConfig.videoCodec.toUpperCase()}`);
  const resolution = job.avatarConfig.resolution;
  if (resolution) parts.push(`${resolution.x}×${resolution.y}`);
  return parts.join(" · ");
}

function link(anchor, url, name) {
  anchor.hidden = !url;
  if (url) {
    anchor.href = url;
    anchor.download = name;
  }
}

async function remove(id, button) {
  if (!button.classList.contains("armed")) {
    button.classList.add("armed");
    button.textContent = "Confirm delete";
    setTimeout(() => {
      button.classList.remove("armed");
      button.textContent = "Delete";
    }, 4000);
    return;
  }
  button.disabled = true;
  try {
    await api("DELETE", jobsPath(id));
    state.jobs.delete(id);
    renderJobs();
  } catch (error) {
    button.disabled = false;
    report(error);
  }
}

// ---- Player ------------------------------------------------------------------------------

async function play(job) {
  const video = $("player");
  video.replaceChildren();
  video.src = job.outputs.result;
  if (job.outputs.subtitle) {
    const track = document.createElement("track");
    Object.assign(track, { kind: "subtitles", label: "Subtitles", srclang: job.synthesisConfig?.voice?.slice(0, 2) || "en", default: true });
    track.src = await subtitleTrack(job.outputs.subtitle);
    video.append(track);
  }
  state.playing = job.id;
  $("player-title").textContent = job.description || job.id;
  $("player-box").hidden = false;
  renderJobs();
  video.focus();
  video.play().catch(() => {});
}

// The service writes SRT for `external_file`; a <track> wants WebVTT, so convert it here.
async function subtitleTrack(url) {
  try {
    const srt = await (await fetch(url)).text();
    const vtt = "WEBVTT\n\n" + srt.replace(/\r/g, "").replace(/(\d\d:\d\d:\d\d),(\d{3})/g, "$1.$2");
    return URL.createObjectURL(new Blob([vtt], { type: "text/vtt" }));
  } catch {
    return "";
  }
}

function closePlayer() {
  const video = $("player");
  video.pause();
  video.removeAttribute("src");
  video.replaceChildren();
  video.load();
  state.playing = null;
  $("player-box").hidden = true;
  document.querySelectorAll(".job.playing").forEach((item) => item.classList.remove("playing"));
}

// ---- Helpers -----------------------------------------------------------------------------

const cap = (text) => text.charAt(0).toUpperCase() + text.slice(1);

function clock(ms) {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function size(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

// ---- Wiring ------------------------------------------------------------------------------

function wire() {
  $("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("signin-key").value.trim();
    if (!key) return showSignin("Enter the API key.");
    signIn(key);
  });
  $("signout").addEventListener("click", () => signOut());
  $("banner-close").addEventListener("click", () => ($("banner").hidden = true));
  $("characters").addEventListener("change", onCharacter);
  $("style").addEventListener("change", onStyle);
  $("locale").addEventListener("change", fillVoices);
  $("gender").addEventListener("change", fillVoices);
  $("voice").addEventListener("change", onVoice);
  $("kind-ssml").addEventListener("change", () => toSsml(0));
  $("kind-plain").addEventListener("change", toPlain);
  $("gesture-insert").addEventListener("click", insertGesture);
  $("format").addEventListener("change", onFormat);
  $("background-kind").addEventListener("change", onBackground);
  $("composer").addEventListener("submit", submit);
  $("refresh").addEventListener("click", refreshJobs);
  $("player-close").addEventListener("click", closePlayer);
  onFormat();
}

wire();
const saved = sessionStorage.getItem(KEY_SLOT);
if (saved) signIn(saved);
else showSignin();
