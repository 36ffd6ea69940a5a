import 'katex/dist/katex.min.css';
import './style.css';
import { byId } from './dom.js';
import { FormulaMode } from './formula-mode.js';
import { word, type Language } from './i18n.js';
import { ProblemModeHost } from './problem-host.js';
import { readState, writeState, type Mode } from './state.js';
import { TrainingMode } from './training-mode.js';

/** The playground: three modes over the library, with the page's state kept in the URL. */
function start(): void {
  const state = readState(location.hash);
  const saveState = () => history.replaceState(null, '', writeState(state));
  const formula = new FormulaMode(state, saveState);
  // Problem mode's code loads when it is first shown (problem-host.ts).
  const problem = new ProblemModeHost(state, saveState);
  // The training mode's "explain the next step" opens that step as a problem file.
  const training = new TrainingMode(state, saveState, (text) => {
    problem.open(text);
    state.mode = 'problem';
    show();
  });
  const language = byId<HTMLSelectElement>('language');
  // Array.from: the project's lib has DOM without DOM.Iterable.
  const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('nav button[data-mode]'));

  const show = () => {
    const words = (id: string, key: Parameters<typeof word>[1]) => (byId(id).textContent = word(state.language, key));
    document.documentElement.lang = state.language;
    document.title = word(state.language, 'title');
    words('page-title', 'title');
    words('tab-formula', 'formulaTab');
    words('tab-problem', 'problemTab');
    words('language-label', 'language');
    words('formula-label', 'formula');
    words('example-label', 'example');
    words('tab-training', 'trainingTab');
    for (const labelled of Array.from(document.querySelectorAll<HTMLElement>('[data-word]'))) {
      labelled.textContent = word(state.language, labelled.dataset.word as Parameters<typeof word>[1]);
    }
    language.value = state.language;
    byId('formula-mode').hidden = state.mode !== 'formula';
    byId('problem-mode').hidden = state.mode !== 'problem';
    byId('training-mode').hidden = state.mode !== 'training';
    for (const tab of tabs) tab.setAttribute('aria-pressed', String(tab.dataset.mode === state.mode));
    if (state.mode === 'formula') formula.update();
    else if (state.mode === 'problem') problem.update();
    else training.update();
  };

  language.addEventListener('change', () => {
    state.language = language.value === 'ru' ? 'ru' : ('en' satisfies Language);
    show();
  });
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      const chosen = tab.dataset.mode;
      state.mode = chosen === 'problem' || chosen === 'training' ? chosen : ('formula' satisfies Mode);
      show();
    });
  }
  // A link pasted over the open page's address (or Back to one) changes only the fragment, so no
  // load follows: the page loads it as a fresh one would. The page's own writes (replaceState)
  // fire no hashchange.
  addEventListener('hashchange', () => location.reload());
  show();
}

start();
