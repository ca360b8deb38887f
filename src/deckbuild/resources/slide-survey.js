/* Run by `deckbuild check` inside a deck: visit every slide in its final state (all fragments
   shown) and measure it in slide pixels. Returns what check.py turns into findings. */
(async () => {
  const config = Reveal.getConfig();
  const W = config.width, H = config.height;
  const results = [];
  const slides = Reveal.getSlides();
  for (let i = 0; i < slides.length; i++) {
    const slide = slides[i];
    const indices = Reveal.getIndices(slide);
    Reveal.slide(indices.h, indices.v, Number.MAX_SAFE_INTEGER);
    slide.querySelectorAll('[data-src]').forEach(el => {
      el.setAttribute('src', el.getAttribute('data-src')); el.removeAttribute('data-src'); });
    await Promise.all([...slide.querySelectorAll('img')].map(img => img.complete ? null :
      new Promise(r => { img.onload = img.onerror = r; setTimeout(r, 3000); })));
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const scale = Reveal.getScale();
    const box = slide.getBoundingClientRect();
    let bottom = 0, right = 0, culprit = '';
    // Content inside a scrolling or clipping box is measured by that box, not by itself.
    const clipped = el => { for (let p = el.parentElement; p && p !== slide; p = p.parentElement) {
      const s = getComputedStyle(p); if (s.overflowX !== 'visible' || s.overflowY !== 'visible') return true; }
      return false; };
    slide.querySelectorAll('*').forEach(el => {
      if (el.closest('aside.notes, .notes, script, style') || clipped(el)) return;
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') return;
      if (el.closest('.absolute')) return;
      const r = el.getBoundingClientRect();
      if (!r.width && !r.height) return;
      const b = (r.bottom - box.top) / scale, rt = (r.right - box.left) / scale;
      if (b > bottom) { bottom = b; if (b > H) culprit = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''); }
      if (rt > right) right = rt;
    });
    const title = (slide.querySelector('h1, h2, h3')?.innerText || '').trim();
    const images = [...slide.querySelectorAll('img')].map(img => ({
      src: img.getAttribute('src') || '', ok: img.complete && img.naturalWidth > 0,
      alt: img.hasAttribute('alt') ? img.getAttribute('alt').trim() : null,
      decorative: img.getAttribute('role') === 'presentation' || img.getAttribute('aria-hidden') === 'true' }));
    const clone = slide.cloneNode(true);
    clone.querySelectorAll('aside.notes, .notes, script, style').forEach(n => n.remove());
    const text = clone.textContent.trim();
    const media = slide.querySelector('img, svg, video, iframe, canvas, object, embed');
    const background = [...slide.attributes].some(a => a.name.startsWith('data-background'));
    const notes = [...slide.querySelectorAll('aside.notes')].map(n => n.innerText.trim()).filter(Boolean);
    results.push({ index: i + 1, id: slide.id, title, bottom, right, culprit,
      scrollable: slide.classList.contains('scrollable'), images,
      empty: !text && !media && !background, notes });
  }
  return { width: W, height: H, slides: results };
})
