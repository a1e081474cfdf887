// masto.js against a running Townsquare: one line of JSON per check, {check, ok, detail}.
// Run by scripts/check-clients, which starts the server and passes two users' tokens:
//   TOWNSQUARE_URL, ALICE_TOKEN, BOB_TOKEN (bob follows alice during the run).
import { createRestAPIClient, createStreamingAPIClient } from "masto";
import WebSocket from "ws";
import { readFileSync } from "node:fs";

const url = process.env.TOWNSQUARE_URL;
const alice = createRestAPIClient({ url, accessToken: process.env.ALICE_TOKEN });
const bob = createRestAPIClient({ url, accessToken: process.env.BOB_TOKEN });
const image = readFileSync(process.env.IMAGE_FILE);
const state = {};

function report(check, ok, detail = "") {
  process.stdout.write(JSON.stringify({ check, ok, detail: String(detail).slice(0, 300) }) + "\n");
}

async function check(name, run) {
  try {
    const detail = await run();
    report(name, true, detail ?? "");
  } catch (error) {
    report(name, false, error?.message ?? error);
  }
}

function expect(condition, what) {
  if (!condition) throw new Error(what);
}

// A first update on the user stream within `ms` of the post that should cause it.
async function updateWithin(ms) {
  const instance = await bob.v2.instance.fetch();
  let opened;
  const open = new Promise((resolve) => (opened = resolve));
  // masto.js connects after a back-off of its own: know when the socket is open.
  class Socket extends WebSocket {
    constructor(...args) {
      super(...args);
      this.once("open", opened);
    }
  }
  const streaming = createStreamingAPIClient({
    streamingApiUrl: instance.configuration.urls.streaming,
    accessToken: process.env.BOB_TOKEN,
    implementation: Socket,
  });
  const subscription = streaming.user.subscribe();
  const iterator = subscription[Symbol.asyncIterator]();
  let next = iterator.next(); // masto.js subscribes when the iteration starts
  await open;
  await new Promise((resolve) => setTimeout(resolve, 300)); // its subscribe message arrives
  const text = `streamed ${Date.now()}`;
  const started = Date.now();
  const posted = alice.v1.statuses.create({ status: text });
  const timeout = new Promise((_, reject) =>
    setTimeout(() => reject(new Error(`no update within ${ms} ms`)), ms),
  );
  try {
    for (;;) {
      const { value } = await Promise.race([next, timeout]);
      next = iterator.next();
      if (value?.event === "update" && value.payload.content.includes(text)) {
        await posted;
        return `update after ${Date.now() - started} ms`;
      }
    }
  } finally {
    subscription.unsubscribe();
    streaming.close();
  }
}

await check("v1.accounts.verifyCredentials", async () => {
  state.alice = await alice.v1.accounts.verifyCredentials();
  state.bob = await bob.v1.accounts.verifyCredentials();
  expect(state.alice.username === "alice", "not alice");
});
await check("v1.instance.fetch / v2.instance.fetch", async () => {
  const v1 = await alice.v1.instance.fetch();
  const v2 = await alice.v2.instance.fetch();
  expect(v1.uri && v2.domain, "missing uri or domain");
});
await check("v1.accounts.lookup", async () => {
  const found = await bob.v1.accounts.lookup({ acct: "alice" });
  expect(found.id === state.alice.id, "wrong account");
});
await check("v1.accounts.$select.follow", async () => {
  const relationship = await bob.v1.accounts.$select(state.alice.id).follow();
  expect(relationship.following, "not following");
});
await check("v1.statuses.create", async () => {
  state.status = await alice.v1.statuses.create({ status: "Hello from masto.js #compat" });
  expect(state.status.content.includes("masto.js"), "content");
});
await check("v2.media.create", async () => {
  const file = new Blob([image], { type: "image/png" });
  state.media = await alice.v2.media.create({ file, description: "A test pattern" });
  expect(state.media.url && state.media.description === "A test pattern", "no url or alt");
  return `${state.media.type}, blurhash ${state.media.blurhash ? "set" : "missing"}`;
});
await check("v1.statuses.create with mediaIds", async () => {
  const status = await alice.v1.statuses.create({ status: "A picture", mediaIds: [state.media.id] });
  expect(status.mediaAttachments.length === 1, "no attachment");
  const served = await fetch(status.mediaAttachments[0].url);
  expect(served.ok, `media answered ${served.status}`);
});
await check("createStreamingAPIClient user: update within 1 s", () => updateWithin(1000));
await check("v1.statuses.$select.update / history / source", async () => {
  const edited = await alice.v1.statuses.$select(state.status.id).update({ status: "Edited by masto.js" });
  const history = await alice.v1.statuses.$select(state.status.id).history.list();
  const source = await alice.v1.statuses.$select(state.status.id).source.fetch();
  expect(edited.editedAt && history.length === 2 && source.text === "Edited by masto.js", "edit");
});
await check("v1.timelines.home.list", async () => {
  const home = await bob.v1.timelines.home.list({ limit: 5 });
  expect(home.some((s) => s.account.id === state.alice.id), "alice's post not in bob's home");
});
await check("v1.timelines.public.list / tag", async () => {
  await alice.v1.timelines.public.list({ limit: 5 });
  await alice.v1.timelines.tag.$select("compat").list();
});
await check("v1.statuses.$select favourite / reblog / bookmark", async () => {
  const id = state.status.id;
  expect((await bob.v1.statuses.$select(id).favourite()).favourited, "favourite");
  expect((await bob.v1.statuses.$select(id).reblog()).reblog, "reblog");
  expect((await bob.v1.statuses.$select(id).bookmark()).bookmarked, "bookmark");
});
await check("v1.favourites.list / v1.bookmarks.list", async () => {
  expect((await bob.v1.favourites.list()).length === 1, "favourites");
  expect((await bob.v1.bookmarks.list()).length === 1, "bookmarks");
});
await check("v1.statuses.$select.context / favouritedBy / rebloggedBy", async () => {
  await alice.v1.statuses.$select(state.status.id).context.fetch();
  expect((await alice.v1.statuses.$select(state.status.id).favouritedBy.list()).length === 1, "fav by");
  expect((await alice.v1.statuses.$select(state.status.id).rebloggedBy.list()).length === 1, "reblogged by");
});
await check("v1.notifications.list / unreadCount", async () => {
  const notifications = await alice.v1.notifications.list();
  expect(notifications.length > 0, "no notifications");
  await alice.v1.notifications.unreadCount.fetch();
});
await check("v1.markers.fetch / create", async () => {
  await bob.v1.markers.create({ home: { lastReadId: state.status.id } });
  const markers = await bob.v1.markers.fetch({ timeline: ["home"] });
  expect(markers.home.lastReadId === state.status.id, "marker");
});
await check("v1.lists create / accounts / timeline", async () => {
  const list = await bob.v1.lists.create({ title: "Friends" });
  await bob.v1.lists.$select(list.id).accounts.create({ accountIds: [state.alice.id] });
  await bob.v1.timelines.list.$select(list.id).list();
  expect((await bob.v1.lists.list()).some((found) => found.id === list.id), "lists");
});
await check("v2.filters.list", async () => {
  await bob.v2.filters.list();
});
await check("v2.search.list", async () => {
  const found = await bob.v2.search.list({ q: "alice", type: "accounts" });
  expect(found.accounts.length > 0, "nobody found");
});
await check("v1.preferences / customEmojis / announcements", async () => {
  await bob.v1.preferences.fetch();
  await bob.v1.customEmojis.list();
  await bob.v1.announcements.list();
});
await check("v1.followRequests / blocks / mutes lists", async () => {
  await bob.v1.followRequests.list();
  await bob.v1.blocks.list();
  await bob.v1.mutes.list();
});
await check("v1.accounts.$select.followers (Link paging)", async () => {
  const followers = await alice.v1.accounts.$select(state.alice.id).followers.list();
  expect(followers.length === 1, "followers");
});
await check("v1.scheduledStatuses.list", async () => {
  await alice.v1.scheduledStatuses.list();
});
await check("v1.conversations.list (direct messages)", async () => {
  await alice.v1.conversations.list();
});
await check("v1.statuses.create with a poll", async () => {
  const status = await alice.v1.statuses.create({
    status: "Which?",
    poll: { options: ["this", "that"], expiresIn: 3600 },
  });
  expect(status.poll, "no poll");
});
await check("v1.statuses.$select.pin", async () => {
  await alice.v1.statuses.$select(state.status.id).pin();
});
await check("v1.statuses.$select.remove", async () => {
  const removed = await alice.v1.statuses.$select(state.status.id).remove();
  expect(removed.id === state.status.id, "removed");
});
