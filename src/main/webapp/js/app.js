// The board is drawn by the server's page; the playable game comes with the move API.
document.addEventListener('DOMContentLoaded', () => {
  document.documentElement.classList.add('js');
});
