export function AdminPage() {
  return (
    <main>
      <h1>Admin</h1>
    </main>
  );
}
