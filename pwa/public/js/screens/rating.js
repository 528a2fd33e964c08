// After help: "How did we do?", five labelled choices and an optional comment.
import { api, ApiError, Conflict } from '../api.js';
import { h, nextId } from '../dom.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';

const COMMENT_MAX = 1000;

/** rating(id, token, onDone) → {node, thank()} */
export function rating(id, token, onDone) {
  const name = nextId('score');
  const radios = [1, 2, 3, 4, 5].map((n) => h('input', { type: 'radio', name, value: String(n) }));
  const scoreError = h('p', { class: 'field-error', role: 'alert' });
  const fieldset = h('fieldset', { class: 'choices rating-choices' },
    h('legend', {}, t('rating.legend')),
    radios.map((r) => h('label', { class: 'choice' }, r, h('span', {}, t(`rating.score.${r.value}`)))),
    scoreError,
  );
  const commentId = nextId('comment');
  const comment = h('textarea', { id: commentId, name: 'comment', rows: '3', maxlength: String(COMMENT_MAX) });
  const commentError = h('p', { class: 'field-error', id: `${commentId}-error`, role: 'alert' });
  comment.setAttribute('aria-describedby', commentError.id);
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('rating.send'));
  const thanks = h('p', { class: 'state', role: 'status' });

  const form = h('form', { class: 'rating', novalidate: true },
    fieldset,
    h('div', { class: 'field' }, h('label', { for: commentId }, t('rating.comment')), comment, commentError),
    problem,
    submit,
  );

  function thank() {
    form.hidden = true;
    thanks.textContent = t('rating.thanks');
    onDone();
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    scoreError.textContent = '';
    commentError.textContent = '';
    problem.textContent = '';
    const chosen = radios.find((r) => r.checked);
    if (!chosen) {
      scoreError.textContent = t('rating.pick');
      radios[0].focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('rating.sending');
    try {
      await api.rate(id, Number(chosen.value), comment.value.trim(), token);
      thank();
    } catch (err) {
      if (err instanceof Conflict) {
        // Already rated from another tab or an earlier tap that got through.
        thank();
      } else if (err instanceof ApiError && err.field === 'comment') {
        commentError.textContent = t('rating.commentInvalid', { n: COMMENT_MAX });
      } else {
        problem.textContent = t('rating.notSent', { reason: problemText(err) });
      }
    } finally {
      submit.disabled = false;
      submit.textContent = t('rating.send');
    }
  });

  return { node: h('div', { class: 'rating-block' }, form, thanks), thank };
}
