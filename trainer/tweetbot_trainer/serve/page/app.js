// The playground. Everything from the server (names, handles, generated text) is set with textContent:
// a model can generate "<script>", and it must show as those characters.
"use strict";

const $ = (id) => document.getElementById(id);
let modelId = null;

function avatar(user) {
  if (user.avatar && user.avatar.startsWith("https://")) {
    const img = document.createElement("img");
    img.src = user.avatar;
    img.alt = "";
    img.referrerPolicy = "no-referrer";
    return img;
  }
  const initial = document.createElement("div");
  initial.className = "initial";
  initial.textContent = (user.name || user.handle || "?").charAt(0).toUpperCase();
  return initial;
}

function showBot(info) {
  modelId = info.model;
  $("model").textContent = info.model;
  const users = info.users.length ? info.users : [{ handle: info.model, name: info.model, avatar: "" }];
  for (const user of users.slice(0, 3)) $("avatars").appendChild(avatar(user));
  $("kind").textContent = users.length > 1 ? "🤖 AI CYBORG 🤖" : "🤖 AI BOT 🤖";
  $("names").textContent = users.map((u) => u.name).join(" & ");
  $("handles").textContent = users.map((u) => "@" + u.handle).join(" ");
  $("quality").textContent = info.quality || "";  // the run's measure (model card, status.quality)
  if (!$("prompt").value) $("prompt").value = info.prompt;
}

function headers() {
  const result = { "Content-Type": "application/json" };
  const key = $("api-key").value.trim();
  if (key) result.Authorization = "Bearer " + key;
  return result;
}

function showAnswers(prompt, choices) {
  const list = $("answers");
  list.replaceChildren();
  for (const choice of choices) {
    const item = document.createElement("li");
    item.className = "answer";
    item.textContent = prompt + choice.text;
    list.appendChild(item);
  }
}

async function generate(event) {
  event.preventDefault();
  const prompt = $("prompt").value;
  const button = $("generate");
  button.disabled = true;
  $("status").textContent = "";
  try {
    const response = await fetch("/v1/completions", {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({
        model: modelId, prompt: prompt,
        max_tokens: Number($("max-tokens").value) || 60, n: Number($("count").value) || 1,
      }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    showAnswers(prompt, body.choices);
  } catch (error) {
    $("status").textContent = String(error.message || error);
  } finally {
    button.disabled = false;
  }
}

async function start() {
  $("form").addEventListener("submit", generate);
  try {
    const response = await fetch("/api/bot");
    showBot(await response.json());
  } catch (error) {
    $("status").textContent = "could not read the bot: " + String(error);
  }
  document.body.dataset.ready = "yes";
}

start();
