// /staff/people: the store's team. A shift manager adds floor staff, changes
// which departments they cover, resets their passwords, and deactivates or
// reactivates their accounts; an admin does the same for any store it picks
// (and resets its managers' passwords too).
import { api, Conflict, Forbidden, InvalidInput } from '../api.js';
import { field, h, nextId } from '../dom.js';
import { openStore } from '../flow.js';
import { t } from '../i18n.js';
import { problemText } from '../problem.js';

const FIELDS = ['name', 'email', 'password', 'departments'];

function statusText(p) {
  if (!p.active) return t('people.inactive');
  const key = `status.${p.status}`;
  const text = t(key);
  return text === key ? p.status : text;
}

function checkboxes(departments, chosen, legend) {
  const boxes = departments.map((d) => h('input', { type: 'checkbox', value: d.code, checked: chosen.includes(d.code) }));
  const node = h('fieldset', { class: 'choices' }, h('legend', {}, legend),
    boxes.map((box, i) => h('label', { class: 'choice' }, box, h('span', {}, departments[i].name))));
  return { node, boxes, values: () => boxes.filter((b) => b.checked).map((b) => b.value) };
}

export function peopleScreen(ctx) {
  const admin = ctx.user.role === 'admin';
  let storeId = admin ? '' : ctx.user.store_id;
  let departments = [];
  let seq = 0;

  const said = h('p', { class: 'notice', role: 'status' });
  const problem = h('p', { class: 'form-error', role: 'alert' });
  const count = h('p', { class: 'status-line' }, t('app.loading'));
  const list = h('ul', { class: 'cards people' });
  const formSlot = h('div', {});
  const storeSelect = h('select', { id: nextId('store'), onchange: () => { storeId = storeSelect.value; load(); } });
  const names = () => new Map(departments.map((d) => [d.code, d.name]));

  function fail(err) {
    problem.textContent = err instanceof Forbidden ? t('people.notAllowed') : problemText(err);
  }

  function card(p) {
    const known = names();
    const skills = h('p', { class: 'card-note' }, t('people.skills', { list: p.departments.length ? p.departments.map((c) => known.get(c) || c).join(', ') : t('people.noSkills') }));
    const actions = h('div', { class: 'card-actions' });
    const li = h('li', { class: 'card' },
      h('h3', {}, p.name),
      h('p', { class: 'card-store' }, `${t(`role.${p.role}`)} · ${p.email}`),
      h('p', { class: 'card-state' }, statusText(p)),
      skills, actions);
    const floor = p.role === 'floor';
    if (!floor && !(admin && p.id !== ctx.user.id)) return li;

    function idle() {
      const reset = h('button', { type: 'button', class: 'secondary', onclick: confirmReset }, t('people.reset'));
      if (!floor) return void actions.replaceChildren(reset);
      actions.replaceChildren(
        h('button', { type: 'button', class: 'secondary', onclick: editSkills }, t('people.editSkills')),
        h('button', { type: 'button', class: 'secondary', onclick: confirmActive },
          p.active ? t('people.deactivate') : t('people.reactivate')),
        reset);
    }

    function confirmReset() {
      const yes = h('button', { type: 'button', class: 'primary' }, t('people.resetYes'));
      yes.addEventListener('click', async () => {
        problem.textContent = '';
        yes.disabled = true;
        try {
          const { temporary_password: password } = await api.resetPassword(p.id);
          said.textContent = t('people.resetDone', { name: p.name, password });
          idle();
        } catch (err) {
          yes.disabled = false;
          fail(err);
        }
      });
      actions.replaceChildren(
        h('p', { class: 'card-note', role: 'alert' }, t('people.resetAsk', { name: p.name })),
        yes, h('button', { type: 'button', class: 'secondary', onclick: idle }, t('people.cancel')));
      yes.focus();
    }

    function editSkills() {
      const pick = checkboxes(departments, p.departments, t('people.skillsOf', { name: p.name }));
      const save = h('button', { type: 'button', class: 'primary' }, t('people.save'));
      save.addEventListener('click', () => change({ departments: pick.values() }, 'people.skillsSaved', save));
      actions.replaceChildren(pick.node, save, h('button', { type: 'button', class: 'secondary', onclick: idle }, t('people.cancel')));
      pick.boxes[0]?.focus();
    }

    function confirmActive() {
      const yes = h('button', { type: 'button', class: 'primary' }, p.active ? t('people.deactivateYes') : t('people.reactivateYes'));
      yes.addEventListener('click', () => change({ active: !p.active }, p.active ? 'people.deactivated' : 'people.reactivated', yes));
      actions.replaceChildren(
        h('p', { class: 'card-note', role: 'alert' }, t(p.active ? 'people.deactivateAsk' : 'people.reactivateAsk', { name: p.name })),
        yes, h('button', { type: 'button', class: 'secondary', onclick: idle }, t('people.cancel')));
      yes.focus();
    }

    async function change(body, done, button) {
      problem.textContent = '';
      button.disabled = true;
      try {
        const updated = await api.updateUser(p.id, body);
        said.textContent = t(done, { name: updated.name });
        li.replaceWith(card(updated));
      } catch (err) {
        button.disabled = false;
        fail(err);
      }
    }

    idle();
    return li;
  }

  function addForm() {
    const controls = {
      name: h('input', { type: 'text', autocomplete: 'off', required: true }),
      email: h('input', { type: 'email', inputmode: 'email', autocomplete: 'off', required: true }),
      password: h('input', { type: 'text', autocomplete: 'new-password', required: true, minlength: '10', maxlength: '72' }),
    };
    const pick = checkboxes(departments, [], t('people.departments'));
    const errors = Object.fromEntries(FIELDS.map((f) => [f, h('p', { id: nextId('err'), class: 'field-error' })]));
    const row = (f, hint) => {
      const c = controls[f];
      c.id = nextId(f);
      c.setAttribute('aria-describedby', errors[f].id);
      return h('div', { class: 'field' }, h('label', { for: c.id }, t(`people.${f}`)), hint ? h('p', { class: 'field-hint' }, hint) : null, c, errors[f]);
    };
    const submit = h('button', { type: 'submit', class: 'primary' }, t('people.add'));
    const form = h('form', { novalidate: true, class: 'people-form' },
      row('name'), row('email'), row('password', t('people.passwordHint')),
      h('div', { class: 'field' }, pick.node, errors.departments), submit);

    function mark(field, message) {
      errors[field].textContent = message;
      if (controls[field]) controls[field].setAttribute('aria-invalid', 'true');
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      for (const f of FIELDS) {
        errors[f].textContent = '';
        controls[f]?.removeAttribute('aria-invalid');
      }
      const body = { name: controls.name.value.trim(), email: controls.email.value.trim(), password: controls.password.value,
        role: 'floor', store_id: storeId, departments: pick.values() };
      if (!body.name) mark('name', t('people.nameMissing'));
      if (!/^[^\s@]+@[^\s@]+$/.test(body.email)) mark('email', t('people.emailBad'));
      if (body.password.length < 10 || body.password.length > 72) mark('password', t('people.passwordBad'));
      if (!body.departments.length) mark('departments', t('people.departmentsMissing'));
      const first = FIELDS.find((f) => errors[f].textContent);
      if (first) return void (controls[first] || pick.boxes[0])?.focus();
      submit.disabled = true;
      try {
        const made = await api.createUser(body);
        said.textContent = t('people.added', { name: made.name });
        form.reset();
        load();
      } catch (err) {
        if (err instanceof Conflict) mark('email', t('people.emailTaken'));
        else if (err instanceof InvalidInput && errors[err.field]) mark(err.field, err.message);
        else fail(err);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  async function load() {
    const mine = ++seq;
    problem.textContent = '';
    try {
      const [people, depts] = await Promise.all([api.users(), api.departments(storeId)]);
      if (mine !== seq) return;
      departments = depts;
      const here = people.filter((p) => p.store_id === storeId).sort((a, b) => a.name.localeCompare(b.name));
      count.textContent = t('people.count', { n: here.length });
      list.replaceChildren(...here.map(card));
      if (!formSlot.firstChild || admin) formSlot.replaceChildren(addForm());
    } catch (err) {
      if (mine === seq) { count.textContent = ''; fail(err); }
    }
  }

  openStore(admin, storeSelect, storeId, {
    show: (id) => { storeId = id; load(); },
    none: () => { count.textContent = t('pick.noStore'); },
    fail,
  });

  const listId = nextId('team');
  const addId = nextId('add');
  return {
    title: t('team.title'),
    node: h('section', { class: 'screen' },
      h('h1', { tabindex: '-1' }, t('team.title')),
      admin ? field(t('reports.store'), storeSelect) : null,
      said, problem,
      h('section', { 'aria-labelledby': listId }, h('h2', { id: listId }, t('people.team')), count, list),
      h('section', { 'aria-labelledby': addId }, h('h2', { id: addId }, t('people.addTitle')), formSlot),
      h('a', { href: '/staff', class: 'quiet-link' }, t('desk.back'))),
  };
}
