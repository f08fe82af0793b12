// CoopDX service worker: keeps the static files and the questionnaire pages a member has opened,
// so that the form opens without a connection. The server puts its configuration in front
// (self.COOPDX, see coopdx/pwa.py). It never keeps a POST, a page that does not say it may be
// kept (its headers), nor a page of another user: the kept pages are forgotten at every log-in
// and log-out, and whenever a page of another user arrives.
"use strict";
var CONFIG = self.COOPDX;
var STATIC = "coopdx-static-" + CONFIG.version;
var PAGES = "coopdx-pages";
// An entry of the pages' cache that says whose pages they are.
var OWNER = "/__coopdx-pages-owner";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(STATIC).then(function (cache) { return cache.addAll(CONFIG.assets); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("coopdx-static-") === 0 && key !== STATIC;
      }).map(function (key) { return caches.delete(key); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function pageKey(url) {
  return url.split("#")[0].split("?")[0];
}

function forgetPages() {
  return caches.delete(PAGES);
}

// Keep a page that says it may be kept, in the cache of its user (another user's pages go first).
function keep(url, response) {
  var headers = CONFIG.headers;
  var user = response.headers.get(headers.user);
  if (!response.ok || response.redirected || !response.headers.get(headers.page) || !user) {
    return Promise.resolve();
  }
  return caches.open(PAGES).then(function (cache) {
    return cache.match(OWNER).then(function (owner) { return owner ? owner.text() : null; });
  }).then(function (owner) {
    if (owner === user) return caches.open(PAGES);
    return forgetPages().then(function () { return caches.open(PAGES); }).then(function (cache) {
      return cache.put(OWNER, new Response(user)).then(function () { return cache; });
    });
  }).then(function (cache) {
    return cache.put(pageKey(url), response);
  });
}

function keptPage(url) {
  return caches.open(PAGES).then(function (cache) { return cache.match(pageKey(url)); });
}

// Network first; without a network, the kept copy of the page.
function page(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    event.waitUntil(keep(request.url, response.clone()));
    return response;
  }).catch(function () {
    return keptPage(request.url).then(function (hit) { return hit || Response.error(); });
  });
}

// A form page sent while the network is gone: back to the same page, from the cache, where the
// offline form has kept the answers on the device (they are never kept here).
function post(request) {
  return fetch(request).catch(function () {
    return keptPage(request.url).then(function (hit) {
      return hit ? Response.redirect(pageKey(request.url) + "?kept=1", 303) : Response.error();
    });
  });
}

// The pages of a response, fetched again when their kept copy is older than the revision; resolves
// to the number of pages asked of the server. Redirects are not followed: a page that answers with
// one (the session is over) ends the round, so the worker never fetches the sign-in page behind the
// member's back, which would give the browser a new CSRF cookie and make the sign-in form already
// open fail. Every page of a response asks for its pages when it opens, so a member going from part
// to part would start a round per part, all fetching at once and each slowing the member's next
// page on a weak connection: a newer round for the same response ends the older one before its
// next fetch.
var rounds = {};
function refresh(urls, revision) {
  var fetched = 0;
  var signedOut = false;
  var key = urls.join(" ");
  var round = (rounds[key] || 0) + 1;
  rounds[key] = round;
  function over() { return signedOut || rounds[key] !== round; }
  return urls.reduce(function (done, url) {
    return done.then(function () { return over() ? null : keptPage(url); }).then(function (hit) {
      if (over() || (hit && hit.headers.get(CONFIG.headers.revision) === revision)) return null;
      fetched += 1;
      return fetch(url, { credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
            signedOut = true;
            return null;
          }
          return keep(url, response);
        })
        .catch(function () { return null; });
    });
  }, Promise.resolve()).then(function () {
    if (rounds[key] === round) delete rounds[key];
    return fetched;
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var formPage = url.pathname.indexOf(CONFIG.pagePrefix) === 0;
  if (request.method === "POST") {
    if (request.mode !== "navigate") return;
    if (CONFIG.forget.indexOf(url.pathname) !== -1) {
      event.waitUntil(forgetPages());
    } else if (formPage) {
      event.respondWith(post(request));
    }
    return;
  }
  if (request.method !== "GET") return;
  if (CONFIG.assets.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || fetch(request);
    }));
  } else if (request.mode === "navigate" && formPage) {
    event.respondWith(page(event));
  }
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep-pages" && Array.isArray(data.urls)) {
    event.waitUntil(refresh(data.urls, String(data.revision)).then(function (fetched) {
      // Tells the page the worker is done (the form does not wait for it).
      if (event.source) event.source.postMessage({ type: "pages-kept", fetched: fetched });
    }));
  } else if (data.type === "forget-pages") {
    event.waitUntil(forgetPages());
  }
});
