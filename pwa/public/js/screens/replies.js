// /staff/replies: administrators keep the remote team's saved replies — short
// answers an agent drops into the chat with one click.
import { api, ApiError, Forbidden } from '../api.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';

function labelled(label, control, error) {
  control.id = nextId('reply');
  control.setAttribute('aria-describedby', error.id = `${control.id}-error`);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, error);
}

/** A form for a new or an existing reply; onSave(body) does the call. */
function replyForm(reply, onSave, onCancel) {
  const title = h('input', { type: 'text', name: 'title', maxlength: '80', value: reply ? reply.title : '' });
  const body = h('textarea', { name: 'body', rows: '3', maxlength: '2000' });
  body.value = reply ? reply.body : '';
  const titleError = h('p', { class: 'field-error', role: 'alert' });
  const bodyError = h('p', { class: 'field-error', role: 'alert' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary' }, t('replies.save'));
  const form = h('form', { class: 'reply-form', novalidate: true },
    labelled(t('replies.titleLabel'), title, titleError),
    labelled(t('replies.body'), body, bodyError), problem, save,
    onCancel ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, t('replies.cancel')) : null);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    titleError.textContent = '';
    bodyError.textContent = '';
    problem.textContent = '';
    const data = { title: title.value.trim(), body: body.value.trim() };
    if (!data.title) titleError.textContent = t('replies.titleMissing');
    if (!data.body) bodyError.textContent = t('replies.bodyMissing');
    if (!data.title || !data.body) return;
    save.disabled = true;
    try {
      await onSave(data);
      if (!reply) { title.value = ''; body.value = ''; }
    } catch (err) {
      if (err instanceof ApiError && err.field === 'title') titleError.textContent = t('replies.titleMissing');
      else if (err instanceof ApiError && err.field === 'body') bodyError.textContent = t('replies.bodyMissing');
      else problem.textContent = t('replies.notSaved', { reason: problemText(err) });
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

export function repliesScreen(ctx) {
  const status = h('p', { class: 'status-line', role: 'status' }, t('app.loading'));
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const list = h('ul', { class: 'cards' });
  const isAdmin = ctx.user.role === 'admin';

  function item(reply) {
    const li = h('li', { class: 'card' });
    const view = () => {
      const edit = h('button', { type: 'button', class: 'secondary' }, t('replies.edit'));
      const del = h('button', { type: 'button', class: 'secondary' }, t('replies.delete'));
      edit.addEventListener('click', () => li.replaceChildren(replyForm(reply, async (data) => {
        await api.updateReply(reply.id, data);
        await load();
      }, view)));
      del.addEventListener('click', () => li.replaceChildren(h('div', { class: 'confirm' },
        h('p', {}, t('replies.deleteConfirm', { title: reply.title })),
        h('button', { type: 'button', class: 'danger', onclick: () => remove(reply) }, t('replies.deleteYes')),
        h('button', { type: 'button', class: 'secondary', onclick: view }, t('replies.cancel')))));
      li.replaceChildren(h('h3', {}, reply.title), h('p', { class: 'card-note' }, reply.body), isAdmin ? edit : null, isAdmin ? del : null);
    };
    view();
    return li;
  }

  async function remove(reply) {
    try {
      await api.deleteReply(reply.id);
      await load();
    } catch (err) {
      problem.textContent = t('replies.notSaved', { reason: problemText(err) });
    }
  }

  async function load() {
    try {
      const replies = await api.savedReplies();
      status.textContent = replies.length ? t('replies.count', { n: replies.length }) : t('replies.none');
      list.replaceChildren(...replies.map(item));
    } catch (err) {
      status.textContent = '';
      problem.textContent = err instanceof Forbidden ? t('manage.forbidden') : problemText(err);
    }
  }
  load();
  const addId = nextId('add');

  return {
    title: t('replies.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('replies.title')), status, problem, list,
      isAdmin ? h('section', { class: 'panel', 'aria-labelledby': addId }, h('h2', { id: addId }, t('replies.add')),
        replyForm(null, async (data) => { await api.createReply(data); await load(); })) : null,
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
  };
}
