// The benchmark page: the same for every tracker. `__bench.start()` runs the tracker's pasted code
// and resolves once it says it is ready; `burst(n, run)` makes n track calls with a marker in their
// props that the capture server looks for. A long-task observer runs from the first byte.
const HARNESS = `
window.__bench=(function(){
  var lt=[],ready,done=new Promise(function(r){ready=r});
  try{new PerformanceObserver(function(l){l.getEntries().forEach(function(e){lt.push([e.startTime,e.duration])})}).observe({type:'longtask',buffered:true})}catch(e){}
  var b={
    done:function(){ready(performance.now())},
    start:function(){var t0=performance.now();PASTE();return done.then(function(t){return t-t0})},
    // budget (ms): a tracker whose track() grows with its queue would otherwise hang the page.
    burst:function(n,run,budget){
      var track=TRACK,wall=Date.now(),s=performance.now(),i=0;
      for(;i<n&&(i&63||!budget||performance.now()-s<budget);i++)track('bench_event',{i:i,bm:'jbm'+run+'x'+i+'y',value:19.9,currency:'EUR'});
      return {ms:performance.now()-s,calls:i,wall:wall,since:s};
    },
    longtasks:function(since){return lt.filter(function(x){return x[0]+x[1]>=since})}
  };
  return b;
})();`;

/** HTML of the benchmark page for `tracker`, pasting `paste` (a JS source) on `start()`. */
export const benchPage = (tracker, paste) =>
  '<!doctype html><html><head><meta charset="utf-8"><title>Bench shop</title><script>' +
  HARNESS.replace('PASTE()', () => `(function(){${paste}})()`).replace('TRACK', () => tracker.track) +
  '</script></head><body><h1>Bench shop</h1><p>A product page.</p></body></html>';
