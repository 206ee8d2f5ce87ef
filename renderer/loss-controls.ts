/**
 * The loss chart's own controls: a log-scale box and a smoothing slider (β of the debiased
 * moving average). They belong to the reader, not to the payload: a live update keeps them.
 */
export interface LossSettings {
  logScale: boolean;
  smoothing: number;
}

/** The control bar; `onChange` gets the new settings (the slider reports when released). */
export function lossControls(current: LossSettings, onChange: (settings: LossSettings) => void): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'lstm-controls';
  const log = document.createElement('input');
  log.type = 'checkbox';
  log.checked = current.logScale;
  const smooth = document.createElement('input');
  smooth.type = 'range';
  smooth.min = '0';
  smooth.max = '0.99';
  smooth.step = '0.01';
  smooth.value = String(current.smoothing);
  const shown = document.createElement('span');
  shown.textContent = current.smoothing.toFixed(2);
  const settings = () => ({ logScale: log.checked, smoothing: Number(smooth.value) });
  log.addEventListener('change', () => onChange(settings()));
  smooth.addEventListener('input', () => {
    shown.textContent = Number(smooth.value).toFixed(2);
  });
  smooth.addEventListener('change', () => onChange(settings()));
  bar.append(label('log scale', log), label('smoothing', smooth), shown);
  return bar;
}

function label(text: string, input: HTMLElement): HTMLElement {
  const l = document.createElement('label');
  l.append(input, document.createTextNode(` ${text} `));
  return l;
}
