# PostgreSQL for the ledger: one instance per environment, encrypted with its own key,
# credentials managed by Secrets Manager.

resource "aws_kms_key" "rds" {
  description = "${var.identifier} storage encryption"
}

resource "aws_db_subnet_group" "main" {
  name       = var.identifier
  subnet_ids = var.subnet_ids
}

resource "aws_security_group" "db" {
  name   = "${var.identifier}-db"
  vpc_id = var.vpc_id

  ingress {
    description     = "PostgreSQL from the application pods"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [var.app_security_group_id]
  }
}

resource "aws_db_instance" "main" {
  identifier                  = var.identifier
  engine                      = "postgres"
  engine_version              = "15.5"
  instance_class              = var.instance_class
  allocated_storage           = 100
  storage_encrypted           = var.storage_encrypted
  kms_key_id                  = aws_kms_key.rds.arn
  username                    = "ledger_admin"
  manage_master_user_password = true
  db_subnet_group_name        = aws_db_subnet_group.main.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  publicly_accessible         = false
  backup_retention_period     = var.backup_retention_days
  deletion_protection         = var.deletion_protection
  skip_final_snapshot         = false
}
