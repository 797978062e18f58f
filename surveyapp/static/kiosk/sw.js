// The kiosk's service worker (served at /kiosk/sw.js, scope /kiosk/). It keeps the pages a child needs when the
// network goes away: the questionnaires (take), done and offline pages the kiosk pages list in data-kiosk's
// `precache` (none of them holds child data), and the static files. Navigations go to the network first, so
// a tablet online always sees the server's page; only kept pages are refreshed from it, so a page with a
// child's codes or answers is never stored. Bump VERSION when this file or the list of static files changes.
"use strict";

var VERSION = "2";
var CACHE_PREFIX = "surveyapp-kiosk-";
var CACHE = CACHE_PREFIX + VERSION;
var STATIC_FILES = [
  "style.css", "kiosk/kiosk.css", "kiosk/expressions.js", "kiosk/conditions.js", "kiosk/queue.js", "kiosk/run.js"
];
var STATIC_ROOT = new URL("../static/", self.location).href;
var SETTINGS_KEY = new URL("sw-settings", self.registration.scope).href; // a stored entry, never fetched
var NAVIGATION_TIMEOUT_MS = 8000; // then a kept copy is better than a child staring at a blank screen
var REFRESH_AFTER_MS = 10 * 60 * 1000; // every page posts the list: fetch a kept page at most this often
var keptAt = new Map(); // url -> when this worker last fetched it for the precache

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(STATIC_FILES.map(function (file) { return keep(cache, new URL(file, STATIC_ROOT).href); }));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(moveOldCaches().then(function () { return self.clients.claim(); }));
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "precache" || !Array.isArray(data.urls)) { return; }
  event.waitUntil(precache(data.urls, data.offline_url).then(function (result) {
    if (event.source) { event.source.postMessage({ type: "precached", kept: result.kept, failed: result.failed }); }
  }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (request.method === "GET" && url.href.indexOf(STATIC_ROOT) === 0) {
    event.respondWith(staticFile(event));
  }
  // Everything else (the JSON intake, heartbeats) goes to the network untouched.
});

// ---- Keeping pages ---------------------------------------------------------------------------------------

/**
 * Fetches `url` into the cache. Without cookies: the kept pages must not depend on the child at the tablet,
 * and a cookie set by one of these fetches (e.g. a language) must not change the tablet's own settings.
 * A redirect (e.g. to the join page) is not the page asked for, so it is not kept.
 */
async function keep(cache, url) {
  try {
    var response = await fetch(url, { credentials: "omit", cache: "no-store" });
    if (!response.ok || response.redirected) { return false; }
    await cache.put(url, response);
    keptAt.set(url, Date.now());
    return true;
  } catch (error) {
    return false;
  }
}

async function precache(urls, offlineUrl) {
  var cache = await caches.open(CACHE);
  if (offlineUrl) {
    var settings = { offline_url: new URL(offlineUrl, self.location).href };
    await cache.put(SETTINGS_KEY, new Response(JSON.stringify(settings)));
  }
  var sameOrigin = urls.map(function (url) { return new URL(url, self.location); })
    .filter(function (url) { return url.origin === self.location.origin; });
  var kept = [];
  var failed = [];
  await Promise.all(sameOrigin.map(async function (url) {
    var ok = (await isFresh(cache, url.href)) || (await keep(cache, url.href));
    (ok ? kept : failed).push(url.pathname + url.search);
  }));
  return { kept: kept, failed: failed };
}

async function isFresh(cache, url) {
  return Date.now() - (keptAt.get(url) || 0) < REFRESH_AFTER_MS && Boolean(await cache.match(url));
}

/** A new version keeps the pages the old one had (a tablet may be offline right after an update). */
async function moveOldCaches() {
  var current = await caches.open(CACHE);
  var names = (await caches.keys()).filter(function (name) {
    return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE;
  });
  for (var i = 0; i < names.length; i += 1) {
    var old = await caches.open(names[i]);
    var requests = await old.keys();
    for (var j = 0; j < requests.length; j += 1) {
      if (!(await current.match(requests[j]))) { await current.put(requests[j], await old.match(requests[j])); }
    }
    await caches.delete(names[i]);
  }
}

// ---- Answering requests ----------------------------------------------------------------------------------

/** Network first; a kept copy when the network fails, is too slow or errs; else the offline page. */
async function navigate(event) {
  var request = event.request;
  var cache = await caches.open(CACHE);
  var kept = request.method === "GET" ? await cache.match(request.url, { ignoreVary: true }) : undefined;
  try {
    var response = await withTimeout(fetch(request), kept ? NAVIGATION_TIMEOUT_MS : null);
    if (kept && response.status >= 500) { return kept; }
    if (kept && response.ok && !response.redirected) { // refresh only what is kept already
      event.waitUntil(cache.put(request.url, response.clone()));
    }
    return response;
  } catch (error) {
    return kept || (await offlinePage(cache, new URL(request.url))) || Response.error();
  }
}

function withTimeout(promise, milliseconds) {
  if (milliseconds === null) { return promise; }
  return Promise.race([promise, new Promise(function (resolve, reject) {
    setTimeout(function () { reject(new Error("timeout")); }, milliseconds);
  })]);
}

/** The kept offline page in the language of the URL (?lang=), else in the language of the last page. */
async function offlinePage(cache, url) {
  var settings = await cache.match(SETTINGS_KEY);
  var pageOffline = settings ? (await settings.json()).offline_url : new URL("offline", self.registration.scope).href;
  var candidates = [pageOffline];
  var language = url.searchParams.get("lang");
  if (language) {
    var inLanguage = new URL(pageOffline);
    inLanguage.searchParams.set("lang", language);
    candidates.unshift(inLanguage.href);
  }
  for (var i = 0; i < candidates.length; i += 1) {
    var page = await cache.match(candidates[i], { ignoreVary: true });
    if (page) { return page; }
  }
  return undefined;
}

/** Cache first; the network refreshes the kept copy in the background for the next load. */
async function staticFile(event) {
  var cache = await caches.open(CACHE);
  var kept = await cache.match(event.request, { ignoreVary: true });
  var fresh = fetch(event.request).then(function (response) {
    if (response.ok) { return cache.put(event.request, response.clone()).then(function () { return response; }); }
    return response;
  });
  if (kept) {
    event.waitUntil(fresh.catch(function () { /* offline: the kept copy serves */ }));
    return kept;
  }
  return fresh;
}
