// Tic-tac-toe page: the server referees every move (POST /api/move) and keeps no state, so the page sends the
// whole board each time. No framework, no inline script: the page runs under a same-origin-only CSP.
'use strict';

(() => {
  const EMPTY_BOARD = '.........';
  const SCORE_KEY = 'tictactoe.score.v1';
  const RETRY_DELAY_MS = 300;

  const settings = document.getElementById('settings');
  const levelSelect = document.getElementById('level');
  const computerStarts = document.getElementById('computer-starts');
  const statusLine = document.getElementById('status');
  const boardElement = document.getElementById('board');
  const cells = Array.from(boardElement.querySelectorAll('.cell'));
  const errorLine = document.getElementById('error');
  const replicaLabel = document.getElementById('replica');

  const game = {
    board: EMPTY_BOARD,
    status: 'in-progress',
    line: null,
    busy: false,
  };

  const mode = () => settings.elements.mode.value;
  const vsComputer = () => mode() === 'vs-computer';
  // Against the computer the person plays X unless the computer starts.
  const personMark = () => (computerStarts.checked ? 'O' : 'X');
  const nextMark = (board) => {
    const xs = board.split('X').length - 1;
    const os = board.split('O').length - 1;
    return xs === os ? 'X' : 'O';
  };
  const cellName = (cell) => `row ${Math.floor(cell / 3) + 1}, column ${(cell % 3) + 1}`;

  // ---- Score, kept in this browser only ----

  function loadScore() {
    try {
      const saved = JSON.parse(localStorage.getItem(SCORE_KEY));
      if (saved && saved['vs-computer'] && saved['two-players']) {
        return saved;
      }
    } catch (ignored) {
      // A corrupt or blocked storage starts a fresh score.
    }
    return { 'vs-computer': { first: 0, second: 0, draws: 0 }, 'two-players': { first: 0, second: 0, draws: 0 } };
  }

  let score = loadScore();

  function saveScore() {
    try {
      localStorage.setItem(SCORE_KEY, JSON.stringify(score));
    } catch (ignored) {
      // Private browsing may refuse storage; the score then lasts as long as the page.
    }
  }

  function renderScore() {
    const current = score[mode()];
    document.getElementById('score-first-label').textContent = vsComputer() ? 'You' : 'X';
    document.getElementById('score-second-label').textContent = vsComputer() ? 'Computer' : 'O';
    document.getElementById('score-first').textContent = current.first;
    document.getElementById('score-second').textContent = current.second;
    document.getElementById('score-draws').textContent = current.draws;
  }

  function recordResult(status) {
    const current = score[mode()];
    if (status === 'draw') {
      current.draws += 1;
    } else {
      const winner = status === 'x-wins' ? 'X' : 'O';
      const firstWins = vsComputer() ? winner === personMark() : winner === 'X';
      current[firstWins ? 'first' : 'second'] += 1;
    }
    saveScore();
    renderScore();
  }

  // ---- Rendering ----

  function describeStatus() {
    if (game.status === 'draw') {
      return 'Draw.';
    }
    if (game.status !== 'in-progress') {
      const winner = game.status === 'x-wins' ? 'X' : 'O';
      if (vsComputer()) {
        return winner === personMark() ? `You win (${winner})!` : `The computer wins (${winner}).`;
      }
      return `${winner} wins!`;
    }
    const mark = nextMark(game.board);
    if (vsComputer()) {
      return mark === personMark() ? `Your turn (${mark}).` : 'The computer is thinking…';
    }
    return `${mark} to move.`;
  }

  function render() {
    const winning = new Set(game.line || []);
    const over = game.status !== 'in-progress';
    cells.forEach((button, index) => {
      const mark = game.board[index];
      const taken = mark !== '.';
      button.textContent = taken ? mark : '';
      button.classList.toggle('x', mark === 'X');
      button.classList.toggle('o', mark === 'O');
      button.classList.toggle('win', winning.has(index));
      button.setAttribute('aria-disabled', String(taken || over || game.busy));
      const state = taken ? mark : 'empty';
      button.setAttribute('aria-label', `${cellName(index)[0].toUpperCase()}${cellName(index).slice(1)}, ${state}`
        + (winning.has(index) ? ', winning line' : ''));
    });
    boardElement.setAttribute('aria-busy', String(game.busy));
    settings.dataset.mode = mode();
  }

  function announce(text) {
    statusLine.textContent = text;
  }

  function showError(message) {
    errorLine.textContent = message;
    errorLine.hidden = false;
  }

  function clearError() {
    errorLine.hidden = true;
    errorLine.textContent = '';
  }

  // ---- Talking to the server ----

  class MoveError extends Error {}

  async function postOnce(body) {
    const response = await fetch('/api/move', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
    return response;
  }

  // A move request carries the whole game, so sending it twice is safe: retry once on a network error or a 503
  // (a replica shutting down during a rolling update) before giving up.
  async function postMove(body) {
    let response;
    try {
      response = await postOnce(body);
      if (response.status === 503) {
        throw new TypeError('service unavailable');
      }
    } catch (firstFailure) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
      try {
        response = await postOnce(body);
      } catch (secondFailure) {
        throw new MoveError('Could not reach the server. Check your connection and try again.');
      }
    }
    let payload = null;
    try {
      payload = await response.json();
    } catch (notJson) {
      // Reported below with the status code.
    }
    if (!response.ok) {
      const reason = payload && payload.error ? payload.error : `the server answered ${response.status}`;
      throw new MoveError(`Move not accepted: ${reason}.`);
    }
    return payload;
  }

  async function requestMove(cell) {
    const body = { board: game.board, mode: mode() };
    if (vsComputer()) {
      body.level = levelSelect.value;
    }
    if (cell !== null) {
      body.cell = cell;
    }
    const mover = cell === null ? null : nextMark(game.board);
    game.busy = true;
    clearError();
    render();
    if (vsComputer()) {
      announce(cell === null ? 'The computer is thinking…' : `You played ${cellName(cell)}. The computer is thinking…`);
    }
    try {
      const answer = await postMove(body);
      game.board = answer.board;
      game.status = answer.status;
      game.line = answer.line;
      replicaLabel.textContent = answer.replica;
      const parts = [];
      if (mover) {
        parts.push(vsComputer() ? `You played ${cellName(cell)}.` : `${mover} played ${cellName(cell)}.`);
      }
      if (answer.computerCell !== null && answer.computerCell !== undefined) {
        parts.push(`The computer played ${cellName(answer.computerCell)}.`);
      }
      parts.push(describeStatus());
      game.busy = false;
      render();
      announce(parts.join(' '));
      if (game.status !== 'in-progress') {
        recordResult(game.status);
      }
    } catch (error) {
      // The board stays as it was before the move, so the player can simply try again.
      game.busy = false;
      render();
      announce(describeStatus());
      showError(error instanceof MoveError ? error.message : 'Something went wrong. Try again.');
    }
  }

  // ---- Playing ----

  function newGame() {
    game.board = EMPTY_BOARD;
    game.status = 'in-progress';
    game.line = null;
    game.busy = false;
    clearError();
    renderScore();
    render();
    announce(describeStatus());
    if (vsComputer() && computerStarts.checked) {
      requestMove(null);
    }
  }

  function play(cell) {
    if (game.busy || game.status !== 'in-progress') {
      return;
    }
    if (game.board[cell] !== '.') {
      announce(`${cellName(cell)[0].toUpperCase()}${cellName(cell).slice(1)} is taken.`);
      return;
    }
    if (vsComputer() && nextMark(game.board) !== personMark()) {
      return;
    }
    requestMove(cell);
  }

  cells.forEach((button) => {
    button.addEventListener('click', () => play(Number(button.dataset.cell)));
  });

  // Arrow keys move the focus around the board; Tab walks the cells in order; Enter and Space press the button.
  boardElement.addEventListener('keydown', (event) => {
    const current = cells.indexOf(document.activeElement);
    if (current < 0) {
      return;
    }
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -3, ArrowDown: 3 };
    if (!(event.key in moves)) {
      return;
    }
    event.preventDefault();
    const row = Math.floor(current / 3);
    const column = current % 3;
    const target = {
      ArrowLeft: row * 3 + ((column + 2) % 3),
      ArrowRight: row * 3 + ((column + 1) % 3),
      ArrowUp: ((row + 2) % 3) * 3 + column,
      ArrowDown: ((row + 1) % 3) * 3 + column,
    }[event.key];
    cells[target].focus();
  });

  settings.addEventListener('change', newGame);
  document.getElementById('new-game').addEventListener('click', newGame);
  document.getElementById('reset-score').addEventListener('click', () => {
    score[mode()] = { first: 0, second: 0, draws: 0 };
    saveScore();
    renderScore();
  });

  newGame();
})();
