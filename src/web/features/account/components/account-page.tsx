export function AccountPage() {
  return (
    <main>
      <h1>Your account</h1>
    </main>
  );
}
