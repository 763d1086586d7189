/*
 * The demo page's behaviour: plain browser JavaScript served as is (no bundler, no framework). It
 * uses only the public REST and Socket.IO surface, as any client would; what the server decides
 * (socket topics from the wire contract in core, the mail catcher link) comes from /demo/settings.
 */
(() => {
  'use strict';
  const byTestId = (id) => document.querySelector('[data-testid="' + id + '"]');

  const newSession = () => ({
    token: null,
    socket: null,
    /** The newest activity notification seen: presented at each (re)connect so the server replays what came after. */
    lastNotificationId: null,
    everConnected: false,
    reconnectedAt: null,
    recovered: 0,
  });
  let state = newSession();

  async function api(method, path, body) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (state.token) headers.authorization = 'Bearer ' + state.token;
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json().catch(() => null);
    if (!response.ok) {
      const reason =
        answer && answer.message ? [].concat(answer.message).join('; ') : response.statusText;
      throw new Error(method + ' ' + path + ' answered ' + response.status + ': ' + reason);
    }
    return answer;
  }

  function showError(error) {
    byTestId('error').textContent = error ? String(error.message || error) : '';
  }

  /** `{ topics, mailCatcherUrl }`: asked for once, awaited where needed. */
  const settings = api('GET', '/demo/settings');

  /** Event handlers report their failures on the page instead of losing them in the console. */
  const guarded =
    (action) =>
    (...args) =>
      Promise.resolve()
        .then(() => action(...args))
        .catch(showError);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Built from DOM properties, never parsed as HTML: the URL shows as given, whatever it holds. */
  function showMailCatcher(url) {
    if (url === null) return;
    const link = element('a', '', url);
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.dataset.testid = 'mail-catcher-link';
    const hint = element('p', 'hint', 'E-mails go to the mail catcher: ');
    hint.append(link);
    document.querySelector('header').append(hint);
  }

  function timeOf(iso) {
    const time = element('time', '', new Date(iso).toLocaleString());
    time.dateTime = iso;
    return time;
  }

  /** One list with its unread badge: cards, mark read, mark all read, counts from the server. */
  function createFeed(options) {
    const list = byTestId(options.listId);
    const badge = byTestId(options.badgeId);
    const markAllButton = byTestId(options.markAllId);
    let latestCountRequest = 0;

    function setBadge(count) {
      badge.textContent = String(count);
      badge.dataset.count = String(count);
    }

    const feed = {
      reset() {
        list.replaceChildren();
        setBadge(0);
        markAllButton.disabled = true;
      },
      enable() {
        markAllButton.disabled = false;
      },
      /** Adds a card unless one with this id is shown already; says whether it did. */
      add(item, where, recovered) {
        if (list.querySelector('li[data-id="' + CSS.escape(item.id) + '"]')) return false;
        const card = element('li');
        card.dataset.testid = options.cardId;
        card.dataset.id = item.id;
        card.dataset.read = String(item.isRead);
        const label = options.render(item, card);
        const meta = element('p', 'meta', options.metaOf(item) + ' · ');
        meta.append(timeOf(item.createdAt));
        if (recovered) {
          card.dataset.recovered = 'true';
          meta.append(element('span', 'recovered', 'recovered after reconnect'));
        }
        const button = element('button', '', 'Mark read');
        button.type = 'button';
        button.dataset.testid = options.markReadId;
        button.disabled = item.isRead;
        button.setAttribute('aria-label', 'Mark read: ' + label);
        button.addEventListener(
          'click',
          guarded(() => feed.markRead(item.id, card, button)),
        );
        card.append(meta, button);
        if (where === 'top') list.prepend(card);
        else list.append(card);
        return true;
      },
      async load() {
        const page = await api('GET', options.listPath);
        page.items.forEach((item) => feed.add(item, 'bottom', false));
        return page.items;
      },
      async refreshCount() {
        const request = ++latestCountRequest;
        const counts = await api('GET', options.countsPath);
        // Answers can overtake each other: only the latest request's answer is shown.
        if (request !== latestCountRequest) return;
        setBadge(options.countOf(counts));
        if (options.onCounts) options.onCounts(counts);
      },
      async markRead(id, card, button) {
        button.disabled = true;
        try {
          await api('PATCH', options.readPath(id));
        } catch (error) {
          button.disabled = false;
          throw error;
        }
        card.dataset.read = 'true';
        await feed.refreshCount();
      },
      async markAllRead() {
        await api('POST', options.readAllPath);
        list.querySelectorAll('li').forEach((card) => {
          card.dataset.read = 'true';
          card.querySelector('button').disabled = true;
        });
        await feed.refreshCount();
      },
    };
    markAllButton.addEventListener('click', guarded(feed.markAllRead));
    return feed;
  }

  const activity = createFeed({
    listId: 'activity-list',
    badgeId: 'activity-unread',
    markAllId: 'activity-mark-all-read',
    cardId: 'activity-card',
    markReadId: 'activity-mark-read',
    listPath: '/notifications?limit=20',
    countsPath: '/notifications/unread-count',
    countOf: (counts) => counts.count,
    readPath: (id) => '/notifications/' + encodeURIComponent(id) + '/read',
    readAllPath: '/notifications/read-all',
    render(item, card) {
      card.append(element('p', '', item.content));
      return item.content;
    },
    metaOf: (item) => item.type + (item.actionUrl ? ' · ' + item.actionUrl : ''),
  });

  const records = createFeed({
    listId: 'records-list',
    badgeId: 'records-unread',
    markAllId: 'records-mark-all-read',
    cardId: 'record-card',
    markReadId: 'record-mark-read',
    listPath: '/notification-center/records?limit=20',
    countsPath: '/notification-center/unread-counts',
    countOf: (counts) => counts.total,
    onCounts(counts) {
      byTestId('records-unread-by-tab').textContent = Object.keys(counts)
        .filter((tab) => tab !== 'total')
        .map((tab) => tab + ' ' + counts[tab])
        .join(' · ');
    },
    readPath: (id) => '/notification-center/records/' + encodeURIComponent(id) + '/read',
    readAllPath: '/notification-center/records/read-all',
    render(record, card) {
      card.append(element('strong', '', record.title), element('p', '', record.message));
      return record.title;
    },
    metaOf: (record) =>
      [
        record.type,
        record.moduleCode,
        record.studentId === null ? null : 'student ' + record.studentId,
      ]
        .filter(Boolean)
        .join(' · '),
  });

  function setStatus(text) {
    byTestId('connection-status').textContent = text;
    const toggle = byTestId('connection-toggle');
    toggle.disabled = state.socket === null;
    toggle.textContent = state.socket && state.socket.active ? 'Disconnect' : 'Reconnect';
  }

  function showRecovery() {
    const count = state.recovered;
    byTestId('recovery-status').textContent =
      'reconnected, ' + count + ' missed notification' + (count === 1 ? '' : 's') + ' recovered';
  }

  function onActivity(item, recoveredByCatchUp) {
    // Replayed notifications were created before this reconnect; live ones after it. Server and
    // browser clocks are taken to agree, which holds for a demo on one machine.
    const recovered =
      recoveredByCatchUp ||
      (state.reconnectedAt !== null && Date.parse(item.createdAt) <= state.reconnectedAt);
    // A replay overlaps what came before the last id seen: an item seen already moves nothing.
    if (!activity.add(item, 'top', recovered)) return false;
    state.lastNotificationId = item.id;
    if (recovered) {
      state.recovered += 1;
      showRecovery();
    }
    return true;
  }

  /** Records have no socket replay: after a reconnect, their newest page brings what was missed. */
  async function recoverRecords() {
    const page = await api('GET', '/notification-center/records?limit=20');
    page.items
      .slice()
      .reverse()
      .forEach((record) => {
        if (records.add(record, 'top', true)) state.recovered += 1;
      });
    showRecovery();
    await records.refreshCount();
  }

  /** The replay stopped at its limit: fetch the rest over REST, oldest first, from where it stopped. */
  async function catchUp(marker) {
    let cursor = marker.cursor;
    while (cursor) {
      const page = await api(
        'GET',
        '/notifications/catch-up?limit=100&after=' +
          encodeURIComponent(marker.after) +
          '&cursor=' +
          cursor,
      );
      page.items.forEach((item) => onActivity(item, true));
      cursor = page.nextCursor;
    }
    await activity.refreshCount();
  }

  function connect(topics) {
    const socket = io({
      // Evaluated at every (re)connect, so a reconnect presents the newest id seen by then.
      auth: (send) =>
        send(
          state.lastNotificationId
            ? { token: state.token, lastNotificationId: state.lastNotificationId }
            : { token: state.token },
        ),
    });
    state.socket = socket;
    socket.on('connect', () => {
      showError(null);
      if (state.everConnected) {
        state.reconnectedAt = Date.now();
        state.recovered = 0;
        showRecovery();
        guarded(recoverRecords)();
      }
      state.everConnected = true;
      setStatus('connected');
    });
    socket.on('disconnect', (reason) => setStatus('disconnected (' + reason + ')'));
    socket.io.on('reconnect_attempt', () => setStatus('reconnecting'));
    socket.on('connect_error', (error) => {
      setStatus('offline');
      showError(new Error('socket: ' + error.message));
    });
    socket.on(
      topics.notificationCreated,
      guarded((item) => (onActivity(item, false) ? activity.refreshCount() : undefined)),
    );
    socket.on(
      topics.recordCreated,
      guarded((record) => (records.add(record, 'top', false) ? records.refreshCount() : undefined)),
    );
    socket.on(topics.replayTruncated, guarded(catchUp));
  }

  async function signIn(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    const claims = { sub: String(form.get('sub')).trim() };
    const organizerId = String(form.get('organizerId')).trim();
    const merchantIds = String(form.get('merchantIds'))
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (organizerId) claims.organizerId = organizerId;
    if (merchantIds.length > 0) claims.merchantIds = merchantIds;

    if (state.socket) state.socket.disconnect();
    state = newSession();
    activity.reset();
    records.reset();
    byTestId('recovery-status').textContent = '';
    showError(null);

    const minted = await api('POST', '/demo/token', claims);
    state.token = minted.token;
    byTestId('signed-in-as').textContent =
      'Signed in as ' + claims.sub + ' until ' + new Date(minted.expiresAt).toLocaleTimeString();
    // Socket first, then the lists: whatever arrives in between shows once (cards are keyed by id).
    connect((await settings).topics);
    const loaded = await activity.load();
    if (state.lastNotificationId === null && loaded.length > 0)
      state.lastNotificationId = loaded[0].id;
    await records.load();
    await Promise.all([activity.refreshCount(), records.refreshCount()]);
    activity.enable();
    records.enable();
  }

  guarded(async () => showMailCatcher((await settings).mailCatcherUrl))();
  byTestId('sign-in-form').addEventListener('submit', guarded(signIn));
  byTestId('connection-toggle').addEventListener('click', () => {
    if (!state.socket) return;
    if (state.socket.active) state.socket.disconnect();
    else state.socket.connect();
  });
})();
