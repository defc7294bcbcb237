// Served from /assets/dashboard.js: no inline scripts, so the Content-Security-Policy allows scripts from this site only.
// Progressive enhancement: a row of weights shows its sum as it is typed (the server checks it again).
document.addEventListener("input", event => {
    const row = event.target.closest("tr[data-weights]");
    if (!row) return;
    let sum = 0, numbers = true;
    row.querySelectorAll("input[type=number]").forEach(input => { const value = parseFloat(input.value); numbers = numbers && !isNaN(value); sum += value; });
    const cell = row.querySelector("[data-sum]"), one = numbers && Math.abs(sum - 1) <= 1e-6;
    cell.textContent = numbers ? +sum.toFixed(4) + (one ? "" : " (must be 1)") : "—";
    cell.className = one ? "muted" : "error";
});

